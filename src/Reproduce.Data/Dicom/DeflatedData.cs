using System.IO.Compression;
using System.Runtime.InteropServices;
using Reproduce.Core.Errors;

namespace Reproduce.Data.Dicom;

/// <summary>
/// Inflates the data set of a Deflated Explicit VR Little Endian file (1.2.840.10008.1.2.1.99): everything after
/// the meta group is one raw deflate stream (RFC 1951, no zlib header).
/// </summary>
internal static class DeflatedData
{
    /// <summary>
    /// CT data deflates a few times over and blank 8-bit images a few hundred; beyond this ratio (and above
    /// <see cref="MinimumLimit"/>), or beyond <see cref="DicomFile.MaxBytes"/>, the stream is treated as a decompression
    /// bomb and refused while inflating, before the output grows past the limit.
    /// </summary>
    public const int MaxRatio = 256;

    /// <summary>Small files may always inflate this far: no bomb is dangerous at this size.</summary>
    public const int MinimumLimit = 16 << 20;

    public static ReadOnlyMemory<byte> Inflate(DicomSource file, int start)
    {
        var compressed = file.Data[start..];
        var limit = Math.Min(DicomFile.MaxBytes, Math.Max(MinimumLimit, (long)compressed.Length * MaxRatio));
        if (!MemoryMarshal.TryGetArray(compressed, out var segment))
        {
            segment = compressed.ToArray();
        }

        using var input = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
        using var inflater = LooksLikeZlib(compressed.Span)
            ? (Stream)new ZLibStream(input, CompressionMode.Decompress)
            : new DeflateStream(input, CompressionMode.Decompress);
        var output = new MemoryStream();
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = inflater.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > limit)
                {
                    throw file.Error(start, $"the deflated data set inflates to more than {limit} bytes from {compressed.Length} compressed bytes; refusing it as a likely decompression bomb");
                }

                output.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(file.Path, $"the deflated data set is not a valid deflate stream ({e.Message}), or the file is truncated", start, e);
        }

        return output.GetBuffer().AsMemory(0, (int)output.Length);
    }

    /// <summary>
    /// Some non-conformant writers wrap the stream in a zlib header (0x78, with a header checksum divisible by 31);
    /// a raw deflate stream practically never starts that way.
    /// </summary>
    private static bool LooksLikeZlib(ReadOnlySpan<byte> data) =>
        data.Length >= 2 && data[0] == 0x78 && ((data[0] << 8) | data[1]) % 31 == 0;
}
