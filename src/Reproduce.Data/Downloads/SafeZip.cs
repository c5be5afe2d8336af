using System.IO.Compression;
using Reproduce.Core.Errors;

namespace Reproduce.Data.Downloads;

/// <summary>
/// Extracts a zip archive into a directory, refusing any entry whose path would land outside it
/// ("zip slip": <c>../</c>, absolute paths). Extraction goes to a temporary sibling directory
/// that is renamed into place, so the target holds the whole archive or nothing.
/// </summary>
public static class SafeZip
{
    /// <summary>Extracts the entries <paramref name="keep"/> accepts (all when null); returns how many.</summary>
    public static int ExtractTo(string archive, string target, Func<ZipArchiveEntry, bool>? keep = null)
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
            foreach (var entry in zip.Entries)
            {
                var destination = Path.GetFullPath(Path.Combine(staging, entry.FullName));
                if (!destination.StartsWith(staging + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw new DataFormatException(archive, $"entry '{entry.FullName}' would be written outside the extraction folder; the archive is rejected");
                }

                if (entry.FullName.EndsWith('/') || (keep is not null && !keep(entry)))
                {
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                entry.ExtractToFile(destination, overwrite: false);
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
