using System.Runtime.InteropServices;
using SkiaSharp;

namespace Reproduce.Data.Images;

/// <summary>
/// Encodes an 8-bit gray image as PNG or JPEG (<see cref="ImageEncoding"/>). Colour encodings repeat the gray
/// level in R, G and B, so <see cref="ImageDecoder"/>'s 0.299 R + 0.587 G + 0.114 B gives the gray level back
/// exactly for PNG. The output has no time stamp: the same image always gives the same bytes.
/// </summary>
public static class ImageEncoder
{
    public const int DefaultJpegQuality = 90;

    public static bool IsJpeg(ImageEncoding encoding) => encoding is ImageEncoding.JpegGray or ImageEncoding.JpegRgb;

    public static byte[] Encode(GrayImage image, ImageEncoding encoding, int jpegQuality = DefaultJpegQuality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jpegQuality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jpegQuality, 100);
        if (image.Width < 1 || image.Height < 1 || image.Pixels.Length != image.Width * image.Height)
        {
            throw new ArgumentException($"a {image.Width} × {image.Height} image cannot hold {image.Pixels.Length} pixels", nameof(image));
        }

        var gray = encoding is ImageEncoding.PngGray or ImageEncoding.JpegGray;
        // Skia encodes JPEG from RGBA (not from RGB888x), and picks PNG colour type 2 or 6 by the alpha type.
        var info = new SKImageInfo(image.Width, image.Height, gray ? SKColorType.Gray8 : SKColorType.Rgba8888,
            encoding == ImageEncoding.PngRgba ? SKAlphaType.Unpremul : SKAlphaType.Opaque);
        var pixels = gray ? image.Pixels : Rgba(image.Pixels);
        var pinned = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, pinned.AddrOfPinnedObject());
            using var data = IsJpeg(encoding)
                ? pixmap.Encode(new SKJpegEncoderOptions(jpegQuality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore))
                : pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6));
            return data?.ToArray() ?? throw new InvalidOperationException($"Skia could not encode a {info.ColorType} image as {encoding}");
        }
        finally
        {
            pinned.Free();
        }
    }

    private static byte[] Rgba(byte[] gray)
    {
        var rgba = new byte[gray.Length * 4];
        for (var i = 0; i < gray.Length; i++)
        {
            rgba[4 * i] = rgba[(4 * i) + 1] = rgba[(4 * i) + 2] = gray[i];
            rgba[(4 * i) + 3] = 255;
        }

        return rgba;
    }
}
