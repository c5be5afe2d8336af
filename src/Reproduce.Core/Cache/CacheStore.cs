using System.Text.Json;
using System.Text.Json.Nodes;
using Reproduce.Core.Errors;
using Reproduce.Core.IO;
using Reproduce.Core.Keys;

namespace Reproduce.Core.Cache;

/// <summary>
/// The cell cache on disk (DESIGN.md §1):
/// <c>&lt;root&gt;/&lt;stage&gt;/&lt;key[0..2]&gt;/&lt;key&gt;/</c> holds a published cell with its meta.json;
/// <c>.work/&lt;stage&gt;/&lt;key&gt;/</c> the directory a running cell writes into (kept across an
/// interruption so long cells resume); <c>.locks/</c> the per-key locks. Nothing else writes under
/// the root, and no central index exists, so any number of processes may share one cache.
/// <c>.specs/</c> holds the <see cref="CellSpec"/> of every cell planned for computing, by key: what
/// <c>reproduce run-cell</c> computes from.
/// </summary>
public sealed class CacheStore
{
    private const string WorkFolder = ".work";
    private const string LocksFolder = ".locks";
    private const string TrashFolder = ".trash";
    private const string SpecsFolder = ".specs";
    private const string RunsFolder = ".runs";

    public CacheStore(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    // Every path below is built from a key checked by KeyText: a key from a command line or a file cannot leave the cache.
    public string CellDirectory(string stage, string key) => Path.Combine(Root, RelativeCellPath(stage, key));

    /// <summary>A published cell's folder relative to the cache root, '/'-separated: <c>&lt;stage&gt;/&lt;key[0..2]&gt;/&lt;key&gt;</c>.</summary>
    public static string RelativeCellPath(string stage, string key) => $"{stage}/{KeyText.Require(key)[..2]}/{key}";

    public string WorkDirectory(string stage, string key) => Path.Combine(Root, WorkFolder, stage, KeyText.Require(key));

    public string SpecPath(string key) => Path.Combine(Root, SpecsFolder, KeyText.Require(key)[..2], key + ".json");

    /// <summary>
    /// Records a cell's spec under its key, so any process can compute the cell from the key alone. Writers of one
    /// key write the same bytes (the key is the hash of the spec's key document), so no lock is needed.
    /// </summary>
    public void WriteSpec(CellSpec spec)
    {
        var path = SpecPath(spec.Key);
        if (!File.Exists(path))
        {
            spec.Write(path);
        }
    }

    /// <summary>The spec recorded for <paramref name="key"/> (a full key, or a unique prefix of at least 12 characters).</summary>
    public CellSpec ReadSpec(string key)
    {
        KeyText.RequirePrefix(key);
        var folder = Path.Combine(Root, SpecsFolder, key[..2]);
        var matches = Directory.Exists(folder) ? Directory.GetFiles(folder, key + "*.json") : [];
        return matches.Length switch
        {
            1 => CellSpec.Read(matches[0]),
            0 => throw new EnvironmentException($"no cell with key {key} was planned in the cache {Root}: run 'reproduce run' (or 'run-cell --manifest') for its experiment first, or point --cache at the cache that planned it"),
            _ => throw new UsageException($"key prefix {key} is ambiguous: it starts {matches.Length} keys in {Root}"),
        };
    }

    public string LockPath(string key) => Path.Combine(Root, LocksFolder, KeyText.Require(key)[..2], key + ".lock");

    /// <summary>The meta of the published cell, or null when it is not in the cache.</summary>
    public CellMeta? TryReadComplete(string stage, string key)
    {
        var path = Path.Combine(CellDirectory(stage, key), CellMeta.FileName);
        return File.Exists(path) ? ReadMeta(path) : null;
    }

    public bool HasWork(string stage, string key) => Directory.Exists(WorkDirectory(stage, key));

    /// <summary>Every published cell of a stage (for finding the older cell at an address).</summary>
    public IEnumerable<CellMeta> ReadAll(string stage)
    {
        var stageDirectory = Path.Combine(Root, stage);
        if (!Directory.Exists(stageDirectory))
        {
            return [];
        }

        return Directory.EnumerateDirectories(stageDirectory)
            .SelectMany(Directory.EnumerateDirectories)
            .Select(d => Path.Combine(d, CellMeta.FileName))
            .Where(File.Exists)
            .Select(ReadMeta);
    }

    public CellLock? TryLock(string key, LockOwner owner) => CellLock.TryAcquire(LockPath(key), owner);

    /// <summary>
    /// Makes <paramref name="workDirectory"/> the published cell: writes meta.json into it, then
    /// renames the directory into place. A rename on one file system is atomic, so readers see the
    /// whole cell or none of it. The caller holds the cell's lock.
    /// </summary>
    public string Publish(CellMeta meta, string workDirectory)
    {
        // The cell's files reach the disk before the meta.json that says they are complete, and both before the
        // rename that publishes them: after a power loss, a cell is either not there or whole. A writer killed
        // mid-write (a checkpoint, in an earlier attempt of this cell) leaves its temporary: nothing of it belongs
        // in the cell, so the same walk deletes it.
        DiskFlush.Tree(workDirectory, AtomicFile.IsTemporary);
        var metaPath = Path.Combine(workDirectory, CellMeta.FileName);
        using (var stream = new FileStream(metaPath, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, meta.ToJson(), new JsonSerializerOptions { WriteIndented = true });
            stream.Flush(flushToDisk: true);
        }

        DiskFlush.Folder(workDirectory);
        var target = CellDirectory(meta.Stage, meta.Key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (Directory.Exists(target))
        {
            // A forced recompute replaces the cell: move the old one aside first (atomic), then delete it.
            MoveToTrashAndDelete(target);
        }

        Directory.Move(workDirectory, target);
        DiskFlush.Folder(Path.GetDirectoryName(target)!);
        return target;
    }

    /// <summary>Removes a published cell (and any work directory of it). The caller holds its lock.</summary>
    public void Remove(string stage, string key)
    {
        foreach (var directory in new[] { CellDirectory(stage, key), WorkDirectory(stage, key) }.Where(Directory.Exists))
        {
            MoveToTrashAndDelete(directory);
        }
    }

    /// <summary>Empties a work directory left by an interrupted or failed run.</summary>
    public void DiscardWork(string stage, string key)
    {
        var work = WorkDirectory(stage, key);
        if (Directory.Exists(work))
        {
            MoveToTrashAndDelete(work);
        }
    }

    /// <summary>
    /// Records, until disposed, that a run of this process needs the cells <paramref name="keys"/> (its whole plan,
    /// cached upstream cells included), so <c>clean</c> leaves them alone. The record is a key list in
    /// <c>.runs/</c> beside a lock the run holds: a run that dies releases its lock, and its record counts no more.
    /// </summary>
    public IDisposable UseCells(IEnumerable<string> keys, LockOwner owner)
    {
        var record = Path.Combine(Root, RunsFolder, $"{owner.ProcessId}-{UniqueName.Token()}");
        var held = CellLock.TryAcquire(record + ".lock", owner)
            ?? throw new CacheException(record + ".lock", "a fresh run record is locked by another process");
        var temporary = record + ".keys.tmp";
        File.WriteAllLines(temporary, keys);
        File.Move(temporary, record + ".keys");
        return new RunRecord(record, held);
    }

    /// <summary>The keys the live runs of this cache need (see <see cref="UseCells"/>); the records of runs that are gone are removed.</summary>
    public IReadOnlySet<string> CellsInUse()
    {
        var inUse = new HashSet<string>(StringComparer.Ordinal);
        var folder = Path.Combine(Root, RunsFolder);
        if (!Directory.Exists(folder))
        {
            return inUse;
        }

        foreach (var keys in Directory.EnumerateFiles(folder, "*.keys"))
        {
            var record = keys[..^".keys".Length];
            if (CellLock.IsHeld(record + ".lock"))
            {
                inUse.UnionWith(File.ReadLines(keys).Where(KeyText.IsKey));
            }
            else
            {
                RunRecord.Delete(record);
            }
        }

        return inUse;
    }

    /// <summary>Every lock file with its state, for <c>status</c> and <c>unlock</c>.</summary>
    public IReadOnlyList<LockState> Locks()
    {
        var locks = Path.Combine(Root, LocksFolder);
        if (!Directory.Exists(locks))
        {
            return [];
        }

        // A file there not named by a key is nobody's lock: it is neither shown nor removed.
        return Directory.EnumerateFiles(locks, "*.lock", SearchOption.AllDirectories)
            .Where(path => KeyText.IsKey(Path.GetFileNameWithoutExtension(path)))
            .Select(path =>
            {
                var held = CellLock.IsHeld(path);
                var owner = held ? CellLock.ReadOwner(path) : null;
                return new LockState(Path.GetFileNameWithoutExtension(path), path, held, owner, owner is not null && LockOwner.IsDeadHere(owner.Host, owner.ProcessId));
            })
            .OrderBy(l => l.Key, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Deletes a lock whatever its state: the escape hatch for a lock left on a shared file system
    /// by a host that died (file locks there may outlive the holder).
    /// </summary>
    public bool Unlock(string key)
    {
        var path = LockPath(key);
        var existed = File.Exists(path);
        File.Delete(path);
        File.Delete(CellLock.OwnerPathFor(path));
        return existed;
    }

    /// <summary>Deletes locks nobody holds and locks recorded as held by a process of this host that no longer runs.</summary>
    public IReadOnlyList<LockState> UnlockStale()
    {
        var removed = Locks().Where(l => !l.Held || l.HolderIsDead).ToList();
        foreach (var state in removed)
        {
            Unlock(state.Key);
        }

        return removed;
    }

    private void MoveToTrashAndDelete(string directory)
    {
        var trash = Path.Combine(Root, TrashFolder, $"{Path.GetFileName(directory)}.{UniqueName.Token()}");
        Directory.CreateDirectory(Path.GetDirectoryName(trash)!);
        Directory.Move(directory, trash);
        Directory.Delete(trash, recursive: true);
    }

    private static CellMeta ReadMeta(string path)
    {
        try
        {
            return CellMeta.FromJson(JsonNode.Parse(File.ReadAllText(path))!.AsObject());
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NullReferenceException or KeyNotFoundException)
        {
            throw new CacheException(path, $"unreadable cell metadata ({e.Message}); delete this cell directory to recompute it", e);
        }
    }

    /// <summary>A run's record in <c>.runs/</c>: its key list, and the lock that says the run is alive.</summary>
    private sealed class RunRecord(string record, CellLock held) : IDisposable
    {
        public static void Delete(string record)
        {
            // The record's name is never used again, so its lock file may go too.
            File.Delete(record + ".keys");
            File.Delete(record + ".lock");
            File.Delete(CellLock.OwnerPathFor(record + ".lock"));
        }

        public void Dispose()
        {
            held.Dispose();
            Delete(record);
        }
    }
}

/// <summary>One lock file: held or not, by whom, and whether that holder is a dead process of this host.</summary>
public sealed record LockState(string Key, string Path, bool Held, LockOwner? Owner, bool HolderIsDead);
