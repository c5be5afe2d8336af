using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Reproduce.Core.Errors;
using Reproduce.Core.IO;
using SkiaSharp;

namespace Reproduce.Data.Images;

/// <summary>
/// Decodes PNG and JPEG files to 8-bit gray (DESIGN.md §7 "Images"): the format is taken from the
/// content, not the extension (COVID-CT has JPEG files named .png); pixels are decoded to RGB with
/// alpha dropped, never premultiplied, and no colour management; then
/// gray = round(0.299 R + 0.587 G + 0.114 B). The file's size and the dimensions its header declares are checked
/// before anything is allocated for the pixels: the native decoder never sees an image over the limits.
/// </summary>
public static class ImageDecoder
{
    /// <summary>The largest image file read: the study's PNG and JPEG slices are well under 2 MB.</summary>
    public const long MaxFileBytes = 64L << 20;

    /// <summary>The longest side accepted: CT slices are 512 px, COVID-CT's scans of figures at most about 1,700.</summary>
    public const int MaxSide = 16_384;

    /// <summary>The most pixels accepted: 4 bytes each while decoding, so at most 256 MB.</summary>
    public const long MaxPixels = 64L << 20;

    public static GrayImage DecodeGray(string path)
    {
        var bytes = BoundedFile.ReadBytes(path, MaxFileBytes, problem => new DataFormatException(path, problem));
        var format = Sniff(bytes) ?? throw new DataFormatException(path, "neither PNG nor JPEG (by content)", 0);
        var (width, height) = (format == "PNG" ? PngSize(path, bytes) : JpegSize(path, bytes));
        if (width < 1 || height < 1 || width > MaxSide || height > MaxSide || (long)width * height > MaxPixels)
        {
            throw new DataFormatException(path, $"the {format} header declares {width} × {height} pixels: an image must have sides of 1 to {MaxSide:N0} and at most {MaxPixels:N0} pixels");
        }

        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw new DataFormatException(path, $"the {format} decoder does not accept this file");
        if (codec.Info.Width != width || codec.Info.Height != height)
        {
            throw new DataFormatException(path, $"the {format} decoder reads {codec.Info.Width} × {codec.Info.Height} pixels where the header declares {width} × {height}");
        }

        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        var pinned = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        SKCodecResult result;
        try
        {
            result = codec.GetPixels(info, pinned.AddrOfPinnedObject());
        }
        finally
        {
            pinned.Free();
        }

        // IncompleteInput means a truncated file: Skia fills the rest, which must not pass as data.
        if (result != SKCodecResult.Success)
        {
            throw new DataFormatException(path, $"the {format} image cannot be decoded ({result})");
        }

        return new GrayImage(info.Width, info.Height, ToGray(rgba));
    }

    /// <summary>gray = round(0.299 R + 0.587 G + 0.114 B), in integers: exact, and half rounds up.</summary>
    internal static byte[] ToGray(ReadOnlySpan<byte> rgba)
    {
        var gray = new byte[rgba.Length / 4];
        for (int i = 0, p = 0; i < gray.Length; i++, p += 4)
        {
            gray[i] = (byte)(((299 * rgba[p]) + (587 * rgba[p + 1]) + (114 * rgba[p + 2]) + 500) / 1000);
        }

        return gray;
    }

    /// <summary>Width and height from the IHDR chunk, which a PNG must start with.</summary>
    private static (long Width, long Height) PngSize(string path, ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 24 && bytes[12..16].SequenceEqual("IHDR"u8)
            ? (BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]), BinaryPrimitives.ReadUInt32BigEndian(bytes[20..]))
            : throw new DataFormatException(path, "the PNG does not start with its IHDR chunk", 8);

    /// <summary>Width and height from the first frame header (SOFn), walking the segments before it.</summary>
    private static (long Width, long Height) JpegSize(string path, ReadOnlySpan<byte> bytes)
    {
        var position = 2;
        while (position + 4 <= bytes.Length)
        {
            if (bytes[position] != 0xFF)
            {
                throw new DataFormatException(path, "expected a JPEG marker before the frame header", position);
            }

            var marker = bytes[position + 1];
            if (marker is 0xFF or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                // Fill byte, or a marker without a length.
                position += marker == 0xFF ? 1 : 2;
                continue;
            }

            if (marker == 0xDA)
            {
                break;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(position + 2)..]);
            // SOF0-15 but DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC) && position + 9 <= bytes.Length)
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(bytes[(position + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(bytes[(position + 5)..]));
            }

            position += 2 + length;
        }

        throw new DataFormatException(path, "the JPEG has no frame header before its image data");
    }

    private static string? Sniff(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => "PNG",
        [0xFF, 0xD8, 0xFF, ..] => "JPEG",
        _ => null,
    };
}
