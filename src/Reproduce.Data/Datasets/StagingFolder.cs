using System.IO.Compression;
using Reproduce.Data.Downloads;
using Reproduce.Data.IO;

namespace Reproduce.Data.Datasets;

/// <summary>
/// The hidden folder <c>.staging</c> inside a raw directory where a source downloads archives and
/// unpacks them before renaming the result into place, so the layout a reader walks never holds a
/// half-written file or folder. Partial downloads (<c>.part</c>) stay here between runs to be
/// resumed; leftover extractions of an interrupted run are removed, as they are redone anyway.
/// </summary>
internal sealed class StagingFolder
{
    public const string Name = ".staging";

    private readonly ArchiveLimits limits;

    public StagingFolder(string directory, ArchiveLimits limits)
    {
        this.limits = limits;
        Path = System.IO.Path.Combine(System.IO.Path.GetFullPath(directory), Name);
        Directory.CreateDirectory(Path);
        foreach (var leftover in Directory.GetDirectories(Path))
        {
            Directory.Delete(leftover, recursive: true);
        }
    }

    public string Path { get; }

    /// <summary>The path of a file in the staging folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Extracts the kept entries of an archive into the staging folder <paramref name="name"/>; returns it and how many files it holds.</summary>
    public (string Folder, int Files) Extract(string archive, string name, Func<ZipArchiveEntry, bool>? keep = null)
    {
        var folder = File(name);
        var files = SafeZip.ExtractTo(archive, folder, limits, keep);
        return (folder, files);
    }

    /// <summary>Renames a finished folder into place (one rename: the target appears whole), replacing an incomplete one.</summary>
    public static void MoveIntoPlace(string folder, string target)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.Move(folder, target);
    }

    /// <summary>False for the macOS metadata a zip made on a Mac carries (<c>__MACOSX/…</c>, <c>._name</c> resource forks), which would pass for images by name.</summary>
    public static bool IsContent(ZipArchiveEntry entry) =>
        !entry.FullName.StartsWith("__MACOSX/", StringComparison.Ordinal) && !entry.Name.StartsWith("._", StringComparison.Ordinal);

    /// <summary>Removes the staging folder once the fetch is complete.</summary>
    public void Remove() => Directory.Delete(Path, recursive: true);
}
