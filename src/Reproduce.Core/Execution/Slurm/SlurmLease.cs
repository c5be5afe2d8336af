using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reproduce.Core.Errors;

namespace Reproduce.Core.Execution.Slurm;

/// <summary>
/// A cell's claim to be computed by one Slurm task: which submission took it, and once submitted, the task and its
/// log. A lease is a file in the shared cache taken by an exclusive create (<c>O_CREAT|O_EXCL</c>, atomic on NFS
/// v3 and later) and replaced by a rename, so it needs no file lock, which NFS does not always honour. A lease stays
/// after its task fails, so <c>reproduce status</c> can say why; the next submission that finds its task gone takes
/// it over.
/// </summary>
public sealed record SlurmLease(string Run, string Host, int ProcessId, DateTimeOffset Taken, string? JobId = null, int Index = 0, string? Log = null)
{
    /// <summary>How long a lease may name no job before its submission counts as dead (a submission takes seconds).</summary>
    public static readonly TimeSpan SubmissionTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Reads of a lease that does not parse before it counts as corrupt (its creator writes it at once).</summary>
    private const int ReadAttempts = 5;

    /// <summary>The task as <c>squeue</c> and <c>scancel</c> name it, e.g. <c>1234_5</c>.</summary>
    public string? Task => JobId is null ? null : $"{JobId}_{Index}";

    public static string PathOf(string cacheRoot, string key) => Path.Combine(cacheRoot, ".slurm", "leases", key[..2], key + ".json");

    /// <summary>Takes the lease of <paramref name="key"/> for <paramref name="lease"/>'s submission; false when a lease exists.</summary>
    public static bool TryTake(string cacheRoot, string key, SlurmLease lease)
    {
        var path = PathOf(cacheRoot, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            // Shared, not FileShare.None: .NET would flock the file exclusively, and a reader would fail instead of waiting.
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite);
            JsonSerializer.Serialize(file, lease.ToJson());
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    /// <summary>
    /// Takes over a lease read as <paramref name="stale"/>: it is first renamed away, which only one of several
    /// submissions racing for it can do, then taken afresh. False when another submission got there first.
    /// </summary>
    public static bool TryTakeOver(string cacheRoot, string key, SlurmLease stale, SlurmLease lease)
    {
        var path = PathOf(cacheRoot, key);
        var aside = $"{path}.{lease.Run}.stale";
        try
        {
            if (Read(cacheRoot, key) != stale)
            {
                return false;
            }

            File.Move(path, aside);
        }
        catch (FileNotFoundException)
        {
            return false;
        }

        File.Delete(aside);
        return TryTake(cacheRoot, key, lease);
    }

    /// <summary>
    /// The lease of <paramref name="key"/>, or null when there is none (or it vanished while being read). A lease just
    /// taken by another submission may still be empty for an instant, so an unreadable one is read again before it
    /// counts as corrupt.
    /// </summary>
    public static SlurmLease? Read(string cacheRoot, string key)
    {
        var path = PathOf(cacheRoot, key);
        for (var attempt = 1; ; attempt++)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }

            try
            {
                return Parse(text);
            }
            catch (Exception e) when (e is JsonException or NullReferenceException or FormatException or InvalidOperationException)
            {
                if (attempt == ReadAttempts)
                {
                    throw new CacheException(path, $"not a Slurm lease ({e.Message}); delete it if no run of this cache is in flight", e);
                }

                Thread.Sleep(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    /// <summary>Records the task that computes the cell, replacing the lease in one rename.</summary>
    public static void Write(string cacheRoot, string key, SlurmLease lease)
    {
        var path = PathOf(cacheRoot, key);
        var temporary = $"{path}.{lease.Run}.tmp";
        File.WriteAllText(temporary, lease.ToJson().ToJsonString());
        File.Move(temporary, path, overwrite: true);
    }

    public static void Release(string cacheRoot, string key) => File.Delete(PathOf(cacheRoot, key));

    private static SlurmLease Parse(string text)
    {
        var json = JsonNode.Parse(text)!.AsObject();
        return new SlurmLease(
            json["run"]!.GetValue<string>(),
            json["host"]!.GetValue<string>(),
            json["pid"]!.GetValue<int>(),
            DateTimeOffset.Parse(json["taken"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            json["job"]?.GetValue<string>(),
            json["index"]?.GetValue<int>() ?? 0,
            json["log"]?.GetValue<string>());
    }

    private JsonObject ToJson() => new()
    {
        ["run"] = Run,
        ["host"] = Host,
        ["pid"] = ProcessId,
        ["taken"] = Taken.ToString("O", CultureInfo.InvariantCulture),
        ["job"] = JobId,
        ["index"] = Index,
        ["log"] = Log,
    };
}
