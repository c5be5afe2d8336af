namespace Reproduce.Core.IO;

/// <summary>
/// Writes a file beside its target under a temporary name and renames it into place, so a reader never sees
/// half a file under the real name, whatever happens to the writing process. <see cref="IsTemporary"/> recognises the
/// temporary name, so the cache deletes one left by a killed writer instead of publishing it in a cell.
/// </summary>
public static class AtomicFile
{
    /// <summary>Whether a file name is one of <see cref="Write(string, Action{Stream})"/>'s temporaries: hidden, ending in <c>.tmp</c>.</summary>
    public static bool IsTemporary(string fileName) => fileName.StartsWith('.') && fileName.EndsWith(".tmp", StringComparison.Ordinal);

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
