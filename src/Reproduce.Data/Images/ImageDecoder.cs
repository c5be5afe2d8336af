using System.Runtime.InteropServices;
using Reproduce.Core.Errors;
using SkiaSharp;

namespace Reproduce.Data.Images;

/// <summary>
/// Decodes PNG and JPEG files to 8-bit gray (DESIGN.md §7 "Images"): the format is taken from the
/// content, not the extension (COVID-CT has JPEG files named .png); pixels are decoded to RGB with
/// alpha dropped, never premultiplied, and no colour management; then
/// gray = round(0.299 R + 0.587 G + 0.114 B).
/// </summary>
public static class ImageDecoder
{
    public static GrayImage DecodeGray(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var format = Sniff(bytes) ?? throw new DataFormatException(path, "neither PNG nor JPEG (by content)", 0);
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw new DataFormatException(path, $"the {format} decoder does not accept this file");
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

    private static string? Sniff(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => "PNG",
        [0xFF, 0xD8, 0xFF, ..] => "JPEG",
        _ => null,
    };
}
