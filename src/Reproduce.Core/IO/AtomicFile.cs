namespace Reproduce.Core.IO;

/// <summary>
/// Writes a file beside its target under a temporary name and renames it into place, so a reader never sees
/// half a file under the real name, whatever happens to the writing process. The temporary name matches
/// <c>CacheStore.TemporaryFilePattern</c>, so one left by a killed writer never enters a published cell.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{UniqueName.Token()}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public static void Write(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));
}
