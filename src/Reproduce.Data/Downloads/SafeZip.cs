using System.IO.Compression;
using Reproduce.Core.Errors;
using Reproduce.Data.IO;

namespace Reproduce.Data.Downloads;

/// <summary>
/// Extracts a zip archive into a directory, refusing the whole archive, by its path and the entry's name, when an
/// entry would land outside it ("zip slip": <c>../</c>, absolute paths), is not a plain file or folder (a symbolic link,
/// which could point the next entry anywhere, a device file, a FIFO; zip has no hard links), appears twice, or when
/// the archive unpacks to more than its <see cref="ArchiveLimits"/> (counted while unpacking, so an entry that lies about
/// its size is caught too). Extraction goes to a temporary sibling directory that is renamed into place, so the target
/// holds the whole archive or nothing.
/// </summary>
public static class SafeZip
{
    private const int FileTypeMask = 0xF000;
    private const int RegularFile = 0x8000;
    private const int Folder = 0x4000;
    private const int SymbolicLink = 0xA000;

    /// <summary>Extracts the entries <paramref name="keep"/> accepts (all when null); returns how many.</summary>
    public static int ExtractTo(string archive, string target, ArchiveLimits limits, Func<ZipArchiveEntry, bool>? keep = null)
    {
        var root = Path.GetFullPath(target);
        var staging = $"{root}.extracting-{Environment.ProcessId}";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        var count = 0;
        try
        {
            using var zip = OpenArchive(archive);
            if (zip.Entries.Count > limits.MaxEntries)
            {
                throw new DataFormatException(archive, $"the archive has {zip.Entries.Count:N0} entries, more than the {limits.MaxEntries:N0} allowed; it is rejected");
            }

            var budget = limits.BytesFor(new FileInfo(archive).Length);
            var unpacked = 0L;
            foreach (var entry in zip.Entries)
            {
                var name = Quoted.Bounded(entry.FullName);
                var destination = Path.GetFullPath(Path.Combine(staging, entry.FullName));
                if (!destination.StartsWith(staging + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw new DataFormatException(archive, $"entry {name} would be written outside the extraction folder; the archive is rejected");
                }

                var type = (entry.ExternalAttributes >> 16) & FileTypeMask;
                if (type is not (0 or RegularFile or Folder))
                {
                    throw new DataFormatException(archive, $"entry {name} is {(type == SymbolicLink ? "a symbolic link" : "a device file, FIFO or socket")}, not a file or folder; the archive is rejected");
                }

                if (entry.FullName.EndsWith('/') || (keep is not null && !keep(entry)))
                {
                    continue;
                }

                if (File.Exists(destination) || Directory.Exists(destination))
                {
                    throw new DataFormatException(archive, $"entry {name} appears twice (or names a folder of another entry); the archive is rejected");
                }

                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                unpacked += Unpack(archive, entry, destination, budget - unpacked, budget, limits);
                count++;
            }

            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }

            Directory.Move(staging, root);
            return count;
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Writes one entry, refusing the archive as soon as more than <paramref name="left"/> of its
    /// <paramref name="budget"/> bytes come out; returns the bytes written.
    /// </summary>
    private static long Unpack(string archive, ZipArchiveEntry entry, string destination, long left, long budget, ArchiveLimits limits)
    {
        using var source = Open(archive, entry);
        using var file = new FileStream(destination, FileMode.CreateNew, FileAccess.Write);
        var buffer = new byte[1 << 16];
        var written = 0L;
        while (Read(archive, entry, source, buffer) is var read and > 0)
        {
            written += read;
            if (written > left)
            {
                throw new DataFormatException(archive, $"unpacking entry {Quoted.Bounded(entry.FullName)} went past the {budget:N0} bytes this archive may unpack to " +
                    $"({limits.MaxRatio}× its size, at most {limits.MaxBytes >> 30} GiB): a zip bomb or a far larger dataset than the study's; it is rejected (set {ArchiveLimits.MaxGibVariable} to allow more)");
            }

            file.Write(buffer, 0, read);
        }

        return written;
    }

    private static Stream Open(string archive, ZipArchiveEntry entry)
    {
        try
        {
            return entry.Open();
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(archive, $"entry {Quoted.Bounded(entry.FullName)} does not open: {e.Message}", inner: e);
        }
    }

    private static int Read(string archive, ZipArchiveEntry entry, Stream source, byte[] buffer)
    {
        try
        {
            return source.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(archive, $"entry {Quoted.Bounded(entry.FullName)} does not unpack: {e.Message}", inner: e);
        }
    }

    private static ZipArchive OpenArchive(string archive)
    {
        try
        {
            return ZipFile.OpenRead(archive);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(archive, $"not a valid zip archive: {e.Message}", inner: e);
        }
    }
}
