using Reproduce.Core.Errors;

namespace Reproduce.Data.Dicom;

/// <summary>
/// The bytes a data set was parsed from (the file, or the inflated data set of a deflated file) and the
/// path they belong to, so every error can name the file and a byte offset a person can look up.
/// </summary>
internal sealed class DicomSource(string path, ReadOnlyMemory<byte> data, int? inflatedFrom = null)
{
    public string Path { get; } = path;

    public ReadOnlyMemory<byte> Data { get; } = data;

    public ReadOnlySpan<byte> Span => Data.Span;

    public int Length => Data.Length;

    /// <summary>Where the compressed stream started in the file, when these bytes were inflated.</summary>
    public int? InflatedFrom { get; } = inflatedFrom;

    public DataFormatException Error(long offset, string problem) =>
        InflatedFrom is { } start
            ? new DataFormatException(Path, $"{problem} (offset within the inflated data set that starts at file byte {start})", offset)
            : new DataFormatException(Path, problem, offset);
}
