using Reproduce.Learning.Augmentations;
using static Reproduce.Learning.Tests.Augmentations.AugmentationFixtures;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Augmentations;

public class RandomResizedCropTests
{
    [Theory]
    [InlineData(64, 64, 0.08, 1.0)]
    [InlineData(48, 80, 0.2, 1.0)]
    [InlineData(90, 30, 0.05, 0.14)]
    [InlineData(20, 20, 0.9, 1.0)]
    public void BoxesFollowTorchvisionGetParamsDrawForDraw(int height, int width, double minScale, double maxScale)
    {
        var crop = new RandomResizedCrop(32, minScale, maxScale, ResizeInterpolation.Bilinear);
        for (ulong seed = 0; seed < 200; seed++)
        {
            var expected = TorchvisionGetParams(height, width, minScale, maxScale, new SampleRandom(seed));
            Assert.Equal(expected, crop.SampleBox(height, width, new SampleRandom(seed)));
        }
    }

    [Theory]
    [InlineData(10, 100, 0, 43, 10, 13)] // wider than 4:3 → height kept, width = round(10 · 4/3)
    [InlineData(100, 10, 43, 0, 13, 10)] // taller than 3:4 → width kept, height = round(10 / (3/4))
    public void NoFittingTryFallsBackToTheCentreCropWithClampedAspect(int height, int width, int top, int left, int h, int w)
    {
        // The whole area at aspect ≤ 4:3 never fits a 10:1 strip, so all ten tries fail.
        var crop = new RandomResizedCrop(16, 1.0, 1.0, ResizeInterpolation.Bilinear);
        Assert.Equal(new CropBox(top, left, h, w), crop.SampleBox(height, width, new SampleRandom(3)));
    }

    [Fact]
    public void FallbackKeepsTheWholeImageWhenItsAspectIsAllowed()
    {
        // 1.5 × the area never fits, and the image's aspect 25:20 lies inside [3/4, 4/3].
        var crop = new RandomResizedCrop(16, 1.5, 1.5, ResizeInterpolation.Bilinear);
        Assert.Equal(new CropBox(0, 0, 20, 25), crop.SampleBox(20, 25, new SampleRandom(1)));
    }

    [Fact]
    public void TopAndLeftRangeOverEveryPositionInclusive()
    {
        // A fixed 30 × 30 box in a 50 × 50 image: positions 0 … 20 on both axes.
        var crop = new RandomResizedCrop(8, 0.36, 0.36, ResizeInterpolation.Bilinear, minRatio: 1, maxRatio: 1);
        var boxes = Enumerable.Range(0, 2000).Select(seed => crop.SampleBox(50, 50, new SampleRandom((ulong)seed))).ToList();
        Assert.All(boxes, box => Assert.Equal((30, 30), (box.Height, box.Width)));
        Assert.Equal(Enumerable.Range(0, 21), boxes.Select(box => box.Top).Distinct().Order());
        Assert.Equal(Enumerable.Range(0, 21), boxes.Select(box => box.Left).Distinct().Order());
    }

    [Fact]
    public void BoxesStayInsideTheImage()
    {
        var random = new SampleRandom(99);
        for (var trial = 0; trial < 500; trial++)
        {
            var height = random.Integer(2, 300);
            var width = random.Integer(2, 300);
            var minScale = random.Uniform(0.01, 1.0);
            var crop = new RandomResizedCrop(8, minScale, random.Uniform(minScale, 1.2), ResizeInterpolation.Bicubic);
            var box = crop.SampleBox(height, width, random);
            Assert.InRange(box.Height, 1, height);
            Assert.InRange(box.Width, 1, width);
            Assert.InRange(box.Top, 0, height - box.Height);
            Assert.InRange(box.Left, 0, width - box.Width);
        }
    }

    [Theory]
    [InlineData(ResizeInterpolation.Bilinear)]
    [InlineData(ResizeInterpolation.Bicubic)]
    public void WholeImageAtItsOwnSizeIsUnchanged(ResizeInterpolation interpolation)
    {
        using var scope = NewDisposeScope();
        var image = Phantom(24, 24);
        var resized = RandomResizedCrop.ResizedCrop(image, new CropBox(0, 0, 24, 24), 24, interpolation);
        Assert.True(resized.allclose(image, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void ResizedCropTakesTheBoxContent()
    {
        using var scope = NewDisposeScope();
        var image = Phantom(30, 40);
        var resized = RandomResizedCrop.ResizedCrop(image, new CropBox(5, 7, 12, 12), 12, ResizeInterpolation.Bilinear);
        Assert.True(resized.allclose(image[.., 5..17, 7..19], rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void ShrinkingAveragesLikePil()
    {
        using var scope = NewDisposeScope();
        // Vertical stripes of period 8 (four 1s, four 0s). Plain bilinear sampling at ×1/4 lands
        // inside a stripe and returns 1, 0, 1, 0 …; an antialiasing filter mixes them.
        var stripes = arange(64).remainder(8).lt(4).to(ScalarType.Float32).expand(64, 64).unsqueeze(0);
        var shrunk = RandomResizedCrop.ResizedCrop(stripes, new CropBox(0, 0, 64, 64), 16, ResizeInterpolation.Bilinear);
        Assert.InRange(shrunk.max().item<float>(), 0.5f, 0.9f);
        Assert.InRange(shrunk.min().item<float>(), 0.1f, 0.5f);
    }

    [Fact]
    public void BicubicOutputIsClampedIntoTheUnitRange()
    {
        using var scope = NewDisposeScope();
        // A hard edge overshoots under a cubic kernel.
        var edge = arange(8).ge(4).to(ScalarType.Float32).expand(8, 8).unsqueeze(0);
        var crop = new RandomResizedCrop(40, 1.0, 1.0, ResizeInterpolation.Bicubic, minRatio: 1, maxRatio: 1);
        var enlarged = crop.Apply(edge, new SampleRandom(0));
        Assert.Equal([1L, 40, 40], enlarged.shape);
        Assert.Equal(0f, enlarged.min().item<float>());
        Assert.Equal(1f, enlarged.max().item<float>());
    }

    /// <summary>torchvision 0.15+ <c>RandomResizedCrop.get_params</c>, transcribed line by line.</summary>
    private static CropBox TorchvisionGetParams(int height, int width, double minScale, double maxScale, SampleRandom random)
    {
        double[] ratio = [3.0 / 4.0, 4.0 / 3.0];
        var area = height * width;
        double[] logRatio = [Math.Log(ratio[0]), Math.Log(ratio[1])];
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var targetArea = area * random.Uniform(minScale, maxScale);
            var aspectRatio = Math.Exp(random.Uniform(logRatio[0], logRatio[1]));
            var w = (int)Math.Round(Math.Sqrt(targetArea * aspectRatio), MidpointRounding.ToEven);
            var h = (int)Math.Round(Math.Sqrt(targetArea / aspectRatio), MidpointRounding.ToEven);
            if (0 < w && w <= width && 0 < h && h <= height)
            {
                var i = random.Integer(0, height - h);
                var j = random.Integer(0, width - w);
                return new CropBox(i, j, h, w);
            }
        }

        var inRatio = (double)width / height;
        int fallbackW, fallbackH;
        if (inRatio < ratio.Min())
        {
            fallbackW = width;
            fallbackH = (int)Math.Round(fallbackW / ratio.Min(), MidpointRounding.ToEven);
        }
        else if (inRatio > ratio.Max())
        {
            fallbackH = height;
            fallbackW = (int)Math.Round(fallbackH * ratio.Max(), MidpointRounding.ToEven);
        }
        else
        {
            fallbackW = width;
            fallbackH = height;
        }

        return new CropBox((height - fallbackH) / 2, (width - fallbackW) / 2, fallbackH, fallbackW);
    }
}
