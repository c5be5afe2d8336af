using System.Buffers.Binary;

namespace Reproduce.Data.Tests.Images;

/// <summary>Reads what kind of PNG or JPEG a file is from its bytes, independently of the decoder under test.</summary>
public static class ImageFileHeaders
{
    public static bool IsPng(ReadOnlySpan<byte> bytes) => bytes is [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..];

    public static bool IsJpeg(ReadOnlySpan<byte> bytes) => bytes is [0xFF, 0xD8, 0xFF, ..];

    /// <summary>(bit depth, colour type, interlace method) from the IHDR chunk, which PNG requires first.</summary>
    public static (int BitDepth, int ColourType, int Interlace) PngHeader(ReadOnlySpan<byte> bytes)
    {
        Assert.True(IsPng(bytes), "not a PNG");
        Assert.True(bytes[12..16].SequenceEqual("IHDR"u8), "the first PNG chunk is not IHDR");
        return (bytes[24], bytes[25], bytes[28]);
    }

    /// <summary>(frame marker: 0 baseline SOF0, 1 extended, 2 progressive; component count) of the first SOF segment.</summary>
    public static (int Process, int Components) JpegFrame(ReadOnlySpan<byte> bytes)
    {
        Assert.True(IsJpeg(bytes), "not a JPEG");
        var position = 2;
        while (position + 4 <= bytes.Length && bytes[position] == 0xFF)
        {
            var marker = bytes[position + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(position + 2)..]);
            if (marker is >= 0xC0 and <= 0xC2)
            {
                return (marker - 0xC0, bytes[position + 9]);
            }

            position += 2 + length;
        }

        throw new Xunit.Sdk.XunitException("no SOF0/1/2 segment before the image data");
    }

    /// <summary>(width, height) of a PNG (IHDR) or JPEG (SOF).</summary>
    public static (int Width, int Height) Size(ReadOnlySpan<byte> bytes)
    {
        if (IsPng(bytes))
        {
            return ((int)BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]), (int)BinaryPrimitives.ReadUInt32BigEndian(bytes[20..]));
        }

        var position = 2;
        while (position + 4 <= bytes.Length)
        {
            var marker = bytes[position + 1];
            if (marker is >= 0xC0 and <= 0xC2)
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(bytes[(position + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(bytes[(position + 5)..]));
            }

            position += 2 + BinaryPrimitives.ReadUInt16BigEndian(bytes[(position + 2)..]);
        }

        throw new Xunit.Sdk.XunitException("no frame header");
    }
}
