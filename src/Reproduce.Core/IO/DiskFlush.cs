using Mono.Unix;
using Mono.Unix.Native;

namespace Reproduce.Core.IO;

/// <summary>
/// fsync for files and folders, so that what a rename publishes survives a power loss: without it the kernel may
/// write the rename before the files' data, and a cell would come back complete in name with empty files. .NET
/// cannot open a folder, so folders go through Mono.Unix.
/// </summary>
public static class DiskFlush
{
    /// <summary>
    /// Flushes every file under <paramref name="folder"/>, and every folder's entries, to the disk. A file
    /// <paramref name="isDebris"/> picks (by name) is deleted instead, in the same walk, and its removal flushed too.
    /// </summary>
    public static void Tree(string folder, Func<string, bool>? isDebris = null)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            if (isDebris?.Invoke(Path.GetFileName(file)) == true)
            {
                File.Delete(file);
                continue;
            }

            // fsync needs no write access: a read-only file in a cell is flushed too.
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read);
            RandomAccess.FlushToDisk(handle);
        }

        foreach (var child in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories).Append(folder))
        {
            Folder(child);
        }
    }

    /// <summary>Flushes <paramref name="folder"/>'s entries (a file created, renamed or removed in it) to the disk.</summary>
    public static void Folder(string folder)
    {
        var descriptor = Syscall.open(folder, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY);
        if (descriptor < 0)
        {
            UnixMarshal.ThrowExceptionForLastError();
        }

        try
        {
            // Some file systems (FUSE mounts, some network ones) do not sync folders and say so with EINVAL: there the
            // rename's durability is theirs to give.
            if (Syscall.fsync(descriptor) < 0 && Stdlib.GetLastError() is not (Errno.EINVAL or Errno.EOPNOTSUPP))
            {
                UnixMarshal.ThrowExceptionForLastError();
            }
        }
        finally
        {
            Syscall.close(descriptor);
        }
    }
}
