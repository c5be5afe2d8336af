using Reproduce.Data.Images;

namespace Reproduce.Data.Tests.Images;

/// <summary>
/// What Skia's encoders write for each <see cref="ImageEncoding"/>, read from the bytes (PNG IHDR colour type,
/// JPEG frame type and component count), and that <see cref="ImageDecoder"/> reads it back.
/// </summary>
public class ImageEncoderTests
{
    private static readonly GrayImage Gradient = new(23, 11, [.. Enumerable.Range(0, 23 * 11).Select(i => (byte)(i % 23 * 11))]);

    [Theory]
    [InlineData(ImageEncoding.PngGray, 0)]
    [InlineData(ImageEncoding.PngRgb, 2)]
    [InlineData(ImageEncoding.PngRgba, 6)]
    public void PngsHaveTheirColourTypeAndDecodeToTheSameGrayLevels(ImageEncoding encoding, int colourType)
    {
        using var folder = new TempFolder();
        var bytes = ImageEncoder.Encode(Gradient, encoding);
        File.WriteAllBytes(folder.Combine("image.png"), bytes);

        Assert.Equal((8, colourType, 0), ImageFileHeaders.PngHeader(bytes));
        Assert.Equal(Gradient.Pixels, ImageDecoder.DecodeGray(folder.Combine("image.png")).Pixels);
    }

    [Theory]
    [InlineData(ImageEncoding.JpegGray, 1)]
    [InlineData(ImageEncoding.JpegRgb, 3)]
    public void JpegsAreBaselineWithTheirComponentCountAndDecodeCloseToTheGrayLevels(ImageEncoding encoding, int components)
    {
        using var folder = new TempFolder();
        var bytes = ImageEncoder.Encode(Gradient, encoding);
        File.WriteAllBytes(folder.Combine("image.jpg"), bytes);

        var decoded = ImageDecoder.DecodeGray(folder.Combine("image.jpg"));

        Assert.Equal((0, components), ImageFileHeaders.JpegFrame(bytes));
        Assert.Equal((23, 11), (decoded.Width, decoded.Height));
        Assert.True(Gradient.Pixels.Zip(decoded.Pixels).Average(p => Math.Abs(p.First - p.Second)) < 8, "lossy, but close");
    }

    [Theory]
    [InlineData(ImageEncoding.PngGray)]
    [InlineData(ImageEncoding.PngRgb)]
    [InlineData(ImageEncoding.PngRgba)]
    [InlineData(ImageEncoding.JpegGray)]
    [InlineData(ImageEncoding.JpegRgb)]
    public void TheSameImageGivesTheSameBytes(ImageEncoding encoding) =>
        Assert.Equal(ImageEncoder.Encode(Gradient, encoding), ImageEncoder.Encode(Gradient, encoding));

    [Fact]
    public void AnImageWhosePixelsDoNotMatchItsSizeIsRefused() =>
        Assert.Throws<ArgumentException>(() => ImageEncoder.Encode(new GrayImage(3, 3, new byte[8]), ImageEncoding.PngGray));
}
