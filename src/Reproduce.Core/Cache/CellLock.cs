namespace Reproduce.Core.Cache;

/// <summary>
/// An exclusive per-key lock. The lock is an OS file lock (flock, taken by opening the lock file
/// with <see cref="FileShare.None"/>) on a lock file that is never deleted while in use, so a
/// process that dies for any reason (kill -9 included) releases it: the kernel drops the lock with
/// the process, and no stale lock can outlive its holder on a local file system. The holder's pid
/// and host go into a side file, because a locked file cannot be read by others.
/// </summary>
public sealed class CellLock : IDisposable
{
    private readonly FileStream handle;

    private CellLock(FileStream handle, string lockPath, string ownerPath)
    {
        this.handle = handle;
        LockPath = lockPath;
        OwnerPath = ownerPath;
    }

    public string LockPath { get; }

    public string OwnerPath { get; }

    /// <summary>The lock, or null when another live process (or another handle here) holds it.</summary>
    public static CellLock? TryAcquire(string lockPath, LockOwner owner)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        FileStream handle;
        try
        {
            handle = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            return null;
        }

        var ownerPath = OwnerPathFor(lockPath);
        var temporary = $"{ownerPath}.{owner.ProcessId}.tmp";
        File.WriteAllText(temporary, owner.ToJson().ToJsonString());
        File.Move(temporary, ownerPath, overwrite: true);
        return new CellLock(handle, lockPath, ownerPath);
    }

    /// <summary>Whether some process holds the lock now (probed by a non-blocking attempt to take it).</summary>
    public static bool IsHeld(string lockPath)
    {
        if (!File.Exists(lockPath))
        {
            return false;
        }

        try
        {
            using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>The recorded holder of a lock file, if one was recorded.</summary>
    public static LockOwner? ReadOwner(string lockPath)
    {
        var ownerPath = OwnerPathFor(lockPath);
        try
        {
            return LockOwner.TryParse(File.ReadAllText(ownerPath));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static string OwnerPathFor(string lockPath) => Path.ChangeExtension(lockPath, ".owner");

    public void Dispose()
    {
        // The owner file goes first, while the lock is still held, so it never names a process that
        // no longer holds the lock. The lock file itself stays: deleting it while others may have
        // it open would let two processes lock two different files under one name.
        File.Delete(OwnerPath);
        handle.Dispose();
    }
}
