using Reproduce.Core.Cache;
using Reproduce.Core.Keys;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// Replaces <c>results/&lt;experiment&gt;/</c> with a rendered directory so that a failure never leaves it
/// half-written: the copy goes to a hidden sibling first and is swapped in by two renames on the same file system.
/// </summary>
/// <remarks>
/// Between the two renames the experiment's folder is briefly absent (the previous one waits as
/// <c>.&lt;name&gt;.replaced</c>); it is never partial. Other folders under <c>results/</c> (e.g. <c>baselines/</c>)
/// are not touched, and a cell's <c>meta.json</c> is not copied. Two publishers of the same experiment at once are not supported.
/// </remarks>
public static class ResultsPublisher
{
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
        var staging = Path.Combine(parent, $".{name}.publishing");
        var replaced = Path.Combine(parent, $".{name}.replaced");

        // Leftovers of a publish that died: a partial copy, or a previous version whose replacement is already in place.
        DeleteIfPresent(staging);
        if (Directory.Exists(target))
        {
            DeleteIfPresent(replaced);
        }

        Directory.CreateDirectory(parent);
        try
        {
            CopyDirectory(source, staging);
        }
        catch
        {
            DeleteIfPresent(staging);
            throw;
        }

        if (Directory.Exists(target))
        {
            Directory.Move(target, replaced);
        }

        try
        {
            Directory.Move(staging, target);
        }
        catch
        {
            if (Directory.Exists(replaced))
            {
                Directory.Move(replaced, target);
            }

            DeleteIfPresent(staging);
            throw;
        }

        DeleteIfPresent(replaced);
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
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
