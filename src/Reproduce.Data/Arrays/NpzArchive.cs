using System.IO.Compression;
using Reproduce.Core.Errors;

namespace Reproduce.Data.Arrays;

/// <summary>
/// A NumPy .npz file: a zip (stored or deflated members, zip64 included) of .npy arrays, read by
/// name. The BCL's zip reader does the container; each member goes through <see cref="NpyReader"/>.
/// </summary>
public sealed class NpzArchive : IDisposable
{
    /// <summary>Deflate cannot expand data by more than about 1032:1; a member claiming more is lying.</summary>
    private const long MaxDeflateRatio = 1032;

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
            return new NpzArchive(path, new ZipArchive(stream, ZipArchiveMode.Read));
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
        if (entry.CompressedLength > 0 && entry.Length / entry.CompressedLength > MaxDeflateRatio)
        {
            throw new DataFormatException(source, $"claims {entry.Length} bytes from {entry.CompressedLength} compressed: not a real deflate stream");
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
