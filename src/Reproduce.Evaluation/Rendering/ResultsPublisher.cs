using Reproduce.Core.Cache;
using Reproduce.Core.IO;
using Reproduce.Core.Keys;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// Replaces <c>results/&lt;experiment&gt;/</c> with a rendered directory so that a failure never leaves it
/// half-written: the copy goes to a hidden sibling first and is swapped in by two renames on the same file system.
/// </summary>
/// <remarks>
/// Between the two renames the experiment's folder is briefly absent (the previous one waits as
/// <c>.&lt;name&gt;.replaced.…</c>); it is never partial. Other folders under <c>results/</c> (e.g. <c>baselines/</c>)
/// are not touched, and a cell's <c>meta.json</c> is not copied. Any number of publishers of one experiment may run at
/// once: each copies into a sibling of its own (named by host, process and a random part), and when another one's
/// rename gets in between its two, it renames again; the last to finish is what stays. A sibling left by a process of
/// this host that is gone is removed by the next publish.
/// </remarks>
public static class ResultsPublisher
{
    /// <summary>How many times a publisher renames again after others got in between its renames.</summary>
    private const int SwapAttempts = 20;

    /// <summary>
    /// Publishes every render cell of <paramref name="plan"/> that is complete in <paramref name="cache"/> to
    /// <c>&lt;resultsRoot&gt;/&lt;experiment&gt;/</c>, also when it was cached, so a deleted or edited results folder is
    /// restored by the next run. Returns the folders published.
    /// </summary>
    public static IReadOnlyList<string> PublishRendered(Plan plan, CacheStore cache, string resultsRoot)
    {
        var published = new List<string>();
        foreach (var entry in plan.Entries.Where(e => e.Cell.Stage == StageNames.Render && cache.TryReadComplete(StageNames.Render, e.Key) is not null))
        {
            var destination = Path.Combine(resultsRoot, entry.Cell.Parameters["experiment"]!.GetValue<string>());
            Publish(cache.CellDirectory(StageNames.Render, entry.Key), destination);
            published.Add(destination);
        }

        return published;
    }

    public static void Publish(string sourceDirectory, string resultsDirectory)
    {
        var source = Path.GetFullPath(sourceDirectory);
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(resultsDirectory));
        if (!Directory.Exists(source))
        {
            throw new DirectoryNotFoundException($"No rendered directory at {source}.");
        }

        var parent = Path.GetDirectoryName(target)
            ?? throw new ArgumentException($"{target} has no parent folder to publish into.", nameof(resultsDirectory));
        var name = Path.GetFileName(target);
        var mine = $"{Environment.MachineName}.{Environment.ProcessId}.{UniqueName.Token()}";
        var staging = Path.Combine(parent, $".{name}.publishing.{mine}");
        var replaced = Path.Combine(parent, $".{name}.replaced.{mine}");

        Directory.CreateDirectory(parent);
        RemoveLeftovers(parent, name);
        try
        {
            CopyDirectory(source, staging);
            Swap(staging, target, replaced);
        }
        finally
        {
            DeleteIfPresent(staging);
            DeleteIfPresent(replaced);
        }
    }

    /// <summary>Moves the published folder aside and <paramref name="staging"/> into its place, again while other publishers' renames get in between.</summary>
    private static void Swap(string staging, string target, string replaced)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(target))
                {
                    DeleteIfPresent(replaced);
                    Directory.Move(target, replaced);
                }
            }
            catch (DirectoryNotFoundException)
            {
                // Another publisher moved it aside first.
            }

            try
            {
                Directory.Move(staging, target);
                return;
            }
            catch (IOException) when (attempt < SwapAttempts)
            {
                // Another publisher's folder went in between: this one replaces it on the next attempt.
                Thread.Sleep(TimeSpan.FromMilliseconds(10 * attempt));
            }
        }
    }

    /// <summary>Removes the siblings of publishers of this host that died between copying and renaming.</summary>
    private static void RemoveLeftovers(string parent, string name)
    {
        foreach (var folder in Directory.EnumerateDirectories(parent, $".{name}.*"))
        {
            // <kind>.<host, which may hold dots>.<pid>.<random>
            var parts = Path.GetFileName(folder)[(name.Length + 2)..].Split('.');
            if (parts.Length >= 4 && parts[0] is "publishing" or "replaced"
                && int.TryParse(parts[^2], System.Globalization.CultureInfo.InvariantCulture, out var id) && LockOwner.IsDeadHere(string.Join('.', parts[1..^2]), id))
            {
                DeleteIfPresent(folder);
            }
        }
    }

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        // A published cell's meta.json and spec.json are the cache's bookkeeping (host, times, the key document), not results.
        foreach (var file in Directory.EnumerateFiles(source).Where(f => Path.GetFileName(f) is not (CellMeta.FileName or CellSpec.FileName)))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.EnumerateDirectories(source))
        {
            CopyDirectory(folder, Path.Combine(destination, Path.GetFileName(folder)));
        }
    }

    private static void DeleteIfPresent(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }
}
