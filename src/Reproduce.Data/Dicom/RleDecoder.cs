using System.Buffers.Binary;

namespace Reproduce.Data.Dicom;

/// <summary>
/// Decodes one frame of RLE Lossless (PS3.5 Annex G): a 64-byte header (segment count and up to 15 segment
/// offsets, little endian), then one PackBits segment per byte plane, most significant plane first.
/// </summary>
internal static class RleDecoder
{
    public const int HeaderLength = 64;

    /// <summary>A PackBits replicate run turns 2 bytes into at most 128; no segment can decode to more than this many times its size.</summary>
    public const int MaxExpansion = 64;

    /// <summary>
    /// Decodes <paramref name="frame"/> into <paramref name="destination"/> as little-endian samples.
    /// Returns null on success and otherwise what is wrong, for the caller to wrap with the file and offset.
    /// </summary>
    public static string? Decode(ReadOnlySpan<byte> frame, Span<byte> destination, int bytesPerSample)
    {
        if (frame.Length < HeaderLength)
        {
            return $"the RLE frame has {frame.Length} bytes, fewer than its {HeaderLength}-byte header";
        }

        var segments = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (segments != bytesPerSample)
        {
            return $"the RLE header lists {segments} segments, but one {bytesPerSample * 8}-bit sample per pixel needs {bytesPerSample}";
        }

        var pixels = destination.Length / bytesPerSample;
        for (var s = 0; s < bytesPerSample; s++)
        {
            var start = BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 + (4 * s))..]);
            var end = s + 1 < bytesPerSample ? BinaryPrimitives.ReadUInt32LittleEndian(frame[(8 + (4 * s))..]) : (uint)frame.Length;
            if (start < HeaderLength || start > end || end > frame.Length)
            {
                return $"RLE segment {s} claims bytes {start} to {end} of a {frame.Length}-byte frame";
            }

            // Planes come most significant first; in little-endian output the most significant byte is the last of a sample.
            var problem = DecodeSegment(frame[(int)start..(int)end], destination, bytesPerSample - 1 - s, bytesPerSample, pixels, s);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? DecodeSegment(ReadOnlySpan<byte> segment, Span<byte> destination, int byteIndex, int stride, int pixels, int index)
    {
        var written = 0;
        var i = 0;
        while (written < pixels && i < segment.Length)
        {
            int header = (sbyte)segment[i++];
            if (header >= 0)
            {
                var length = header + 1;
                if (segment.Length - i < length)
                {
                    return $"a literal run in RLE segment {index} needs {length} bytes, but only {segment.Length - i} remain";
                }

                // Encoders sometimes pad the last run; bytes beyond the image are ignored, as pydicom and dcmtk do.
                var used = Math.Min(length, pixels - written);
                for (var k = 0; k < used; k++)
                {
                    destination[((written + k) * stride) + byteIndex] = segment[i + k];
                }

                i += length;
                written += used;
            }
            else if (header != -128)
            {
                if (i == segment.Length)
                {
                    return $"a replicate run in RLE segment {index} has no byte to repeat";
                }

                var value = segment[i++];
                var used = Math.Min(1 - header, pixels - written);
                for (var k = 0; k < used; k++)
                {
                    destination[((written + k) * stride) + byteIndex] = value;
                }

                written += used;
            }
        }

        return written < pixels
            ? $"RLE segment {index} decodes to {written} bytes, but the frame has {pixels} pixels"
            : null;
    }
}
