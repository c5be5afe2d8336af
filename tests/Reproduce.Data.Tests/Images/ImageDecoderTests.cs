using Reproduce.Core.Errors;
using Reproduce.Data.Images;

namespace Reproduce.Data.Tests.Images;

public class ImageDecoderTests
{
    private static long Sum(GrayImage image) => image.Pixels.Sum(p => (long)p);

    [Theory]
    [InlineData("gray.png", 1020354)]
    [InlineData("rgb.png", 1020354)]
    [InlineData("rgba.png", 1020354)]
    [InlineData("baseline-rgb.jpg", 1020721)]
    [InlineData("progressive-gray.jpg", 1020721)]
    [InlineData("jpeg-named.png", 1020721)]
    public void EveryKindDecodesToTheDocumentedGraySum(string file, long sum)
    {
        var image = ImageDecoder.DecodeGray(Fixtures.File("images", file));

        Assert.Equal((160, 144), (image.Width, image.Height));
        Assert.Equal(sum, Sum(image));
    }

    [Fact]
    public void TheLunaSliceDecodesToItsDocumentedSum()
    {
        var image = ImageDecoder.DecodeGray(Fixtures.File("images", "luna16-slice.png"));

        Assert.Equal((512, 512), (image.Width, image.Height));
        Assert.Equal(11616802, Sum(image));
    }

    [Fact]
    public void GrayUsesTheRec601WeightsRoundedHalfUp()
    {
        byte[] rgba = [255, 0, 0, 0, 0, 255, 0, 255, 0, 0, 255, 17, 10, 10, 10, 0, 1, 1, 2, 255];

        // 76.245 -> 76; 149.685 -> 150; 29.07 -> 29; 10; 0.299 + 0.587 + 0.228 = 1.114 -> 1
        Assert.Equal([76, 150, 29, 10, 1], ImageDecoder.ToGray(rgba));
    }

    [Fact]
    public void AFileThatIsNeitherPngNorJpegIsNamed()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("not-an-image.png");
        File.WriteAllText(path, "GIF89a, not supported");

        var error = Assert.Throws<DataFormatException>(() => ImageDecoder.DecodeGray(path));

        Assert.Equal($"{path}: at byte 0: neither PNG nor JPEG (by content)", error.Message);
    }

    [Fact]
    public void ATruncatedPngIsRejected()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("truncated.png");
        var bytes = File.ReadAllBytes(Fixtures.File("images", "gray.png"));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<DataFormatException>(() => ImageDecoder.DecodeGray(path));

        Assert.StartsWith(path, error.Message);
    }

    /// <summary>
    /// Headers declaring sides the native decoder would crash on or allocate gigabytes for: refused by the file's name
    /// before the decoder sees them.
    /// </summary>
    [Theory]
    [InlineData("png", 65_535, 65_535)]
    [InlineData("png", 100_000, 1)]
    [InlineData("png", 0, 16)]
    [InlineData("jpeg", 65_535, 65_535)]
    [InlineData("jpeg", 10_000, 10_000)]
    public void AnImageWhoseHeaderDeclaresTooManyPixelsIsRefusedBeforeDecoding(string format, int width, int height)
    {
        using var folder = new TempFolder();
        var path = folder.Combine($"huge.{format}");
        File.WriteAllBytes(path, format == "png" ? PngHeaderOnly(width, height) : JpegHeaderOnly(width, height));

        var error = Assert.Throws<DataFormatException>(() => ImageDecoder.DecodeGray(path));

        Assert.Equal(path, error.Path);
        Assert.Contains($"header declares {width} × {height} pixels", error.Message, StringComparison.Ordinal);
    }

    private static byte[] PngHeaderOnly(int width, int height)
    {
        var bytes = new List<byte> { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 };
        bytes.AddRange("IHDR"u8.ToArray());
        bytes.AddRange(BigEndian32(width));
        bytes.AddRange(BigEndian32(height));
        bytes.AddRange(new byte[] { 8, 0, 0, 0, 0, 0, 0, 0, 0 });
        return [.. bytes];
    }

    private static byte[] JpegHeaderOnly(int width, int height) =>
        [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0, 0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9];

    private static byte[] BigEndian32(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
