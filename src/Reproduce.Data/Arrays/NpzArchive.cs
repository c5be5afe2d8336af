using System.IO.Compression;
using Reproduce.Core.Errors;
using Reproduce.Data.IO;

namespace Reproduce.Data.Arrays;

/// <summary>
/// A NumPy .npz file: a zip (stored or deflated members, zip64 included) of .npy arrays, read by
/// name. The BCL's zip reader does the container; each member goes through <see cref="NpyReader"/>, after its
/// declared size is checked against <see cref="ArchiveLimits"/>.
/// </summary>
public sealed class NpzArchive : IDisposable
{
    private readonly ZipArchive zip;

    private NpzArchive(string path, ZipArchive zip)
    {
        Path = path;
        this.zip = zip;
    }

    public string Path { get; }

    /// <summary>The array names (member names without their .npy extension).</summary>
    public IReadOnlyList<string> Names => zip.Entries.Select(e => e.FullName).Where(n => n.EndsWith(".npy", StringComparison.Ordinal)).Select(n => n[..^4]).ToList();

    public static NpzArchive Open(string path)
    {
        var stream = File.OpenRead(path);
        try
        {
            var zip = new ZipArchive(stream, ZipArchiveMode.Read);
            // The central directory is read on first use of Entries: read it here, where a corrupt one is reported.
            _ = zip.Entries;
            return new NpzArchive(path, zip);
        }
        catch (InvalidDataException e)
        {
            stream.Dispose();
            throw new DataFormatException(path, $"not a valid .npz (zip) file: {e.Message}", inner: e);
        }
    }

    public NpyArray Read(string name)
    {
        var entry = zip.GetEntry(name + ".npy")
            ?? throw new DataFormatException(Path, $"no array '{name}' (arrays: {string.Join(", ", Names)})");
        var source = $"{Path}!{entry.FullName}";
        // Image arrays hardly compress: a member declaring far more than its compressed bytes is a bomb (or a lie).
        var allowed = ArchiveLimits.Default.BytesFor(entry.CompressedLength);
        if (entry.Length > allowed)
        {
            throw new DataFormatException(source, $"declares {entry.Length:N0} bytes from {entry.CompressedLength:N0} compressed, more than the {allowed:N0} a member may unpack to");
        }

        try
        {
            using var stream = entry.Open();
            return NpyReader.Read(stream, entry.Length, source);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(source, $"corrupt zip member: {e.Message}", inner: e);
        }
    }

    public void Dispose() => zip.Dispose();
}
