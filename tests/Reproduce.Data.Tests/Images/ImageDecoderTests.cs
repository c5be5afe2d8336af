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
}
