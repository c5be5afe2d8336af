using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Data.Datasets;
using Reproduce.Data.Dicom;
using Reproduce.Data.Images;
using Reproduce.Data.Preprocessing;

namespace Reproduce.Data.Tests.Preprocessing;

/// <summary>The recipes against real CT fixtures whose pixel values DATASETS.md §B3 documents.</summary>
public class ImageRecipeTests
{
    private static CtSlice Slice(string name) => new(DicomImage.From(DicomFile.Read(Fixtures.File("dicom", name))));

    [Fact]
    public void AuthorsRecipeScalesEachSliceFromItsOwnHuRange()
    {
        // CT_small: raw min 128, max 2191, [64,64] = 1928, intercept −1024, no −2000 pixels.
        var image = Recipe("authors", 128).Apply(Slice("CT_small.dcm"), "CT_small.dcm");
        Assert.Equal(0, image.Min());
        Assert.Equal(255, image.Max());
        Assert.Equal(Math.Round((1928 - 128) * 255.0 / (2191 - 128)), image[(64 * 128) + 64]);
    }

    [Fact]
    public void AuthorsRecipeTurnsMinus2000PaddingIntoTheIntercept()
    {
        // CT1_UNC: 55,772 corner pixels are −2000; they become 0, i.e. −1024 HU, before the min–max.
        var slice = Slice("CT1_UNC.explicit_little_endian.dcm");
        var stored = slice.Image.StoredValues();
        var hu = stored.Select(v => (v == -2000 ? 0 : v) - 1024.0).ToArray();
        var (min, max) = (hu.Min(), hu.Max());
        var image = Recipe("authors", 512).Apply(slice, "CT1");
        Assert.Equal(Math.Round((-1024 - min) * 255 / (max - min), MidpointRounding.ToEven), image[0]);
        Assert.Equal(Math.Round(((965 - 1024) - min) * 255 / (max - min), MidpointRounding.ToEven), image[(256 * 512) + 256]);
    }

    [Fact]
    public void LevelsRoundHalfToEvenAndClampOnTheVectorPathAndTheRemainder()
    {
        // v + 0.5 is exactly halfway for every integer v: 0.5 → 0, 1.5 → 2, 2.5 → 2, …; below 0 and above 255 clamp.
        var values = Enumerable.Range(-40, 340).Select(v => (float)v).ToArray();
        var levels = new byte[values.Length];

        ImageRecipe.Quantise(values, 1, 0.5f, levels);

        Assert.Equal(values.Select(v => (byte)Math.Clamp(Math.Round(v + 0.5, MidpointRounding.ToEven), 0, 255)), levels);
        Assert.Equal([0, 2, 2, 4], levels.Skip(40).Take(4));
    }

    [Fact]
    public void WindowRecipeClipsToTheWindow()
    {
        // CT_small [0,0] = 175 → −849 HU; window −500 ± 500: (−849 + 1000) · 255 / 1000 = 38.505 → 39; [64,64] = 904 HU → 255.
        var image = new WindowRecipe(128, -500, 1000).Apply(Slice("CT_small.dcm"), "CT_small.dcm");
        Assert.Equal(39, image[0]);
        Assert.Equal(255, image[(64 * 128) + 64]);
    }

    [Fact]
    public void ResizingASliceShrinksByArea()
    {
        var full = Recipe("authors", 128).Apply(Slice("CT_small.dcm"), "CT_small.dcm");
        var half = Recipe("authors", 64).Apply(Slice("CT_small.dcm"), "CT_small.dcm");
        Assert.Equal(64 * 64, half.Length);
        // Each output pixel is the mean of a 2 × 2 block of the unquantised levels: within one level of the quantised block mean.
        var block = (full[0] + full[1] + full[128] + full[129]) / 4.0;
        Assert.InRange(half[0], block - 1, block + 1);
    }

    [Fact]
    public void GrayRecipeResizesADecodedImage()
    {
        var gray = ImageDecoder.DecodeGray(Fixtures.File("images", "gray.png"));
        var image = Recipe("gray", 32).Apply(new GraySource(gray), "gray.png");
        Assert.Equal(32 * 32, image.Length);
        Assert.InRange(image.Average(x => (double)x), gray.Pixels.Average(x => (double)x) - 2, gray.Pixels.Average(x => (double)x) + 2);
    }

    [Fact]
    public void ARecipeRefusesTheWrongKindOfImage()
    {
        var gray = new GraySource(new GrayImage(2, 2, [1, 2, 3, 4]));
        var error = Assert.Throws<DataFormatException>(() => Recipe("authors", 2).Apply(gray, "x.png"));
        Assert.Contains("x.png", error.Message);
        Assert.Throws<DataFormatException>(() => Recipe("gray", 2).Apply(Slice("CT_small.dcm"), "CT_small.dcm"));
    }

    private static ImageRecipe Recipe(string name, int size) => ImageRecipe.Create(new PreprocessSpec { Recipe = name, Size = size });
}
