using Reproduce.Learning.Augmentations;
using static Reproduce.Learning.Tests.Augmentations.AugmentationFixtures;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Augmentations;

public class ColorJitterTests
{
    [Fact]
    public void BrightnessScalesAndClamps()
    {
        using var scope = NewDisposeScope();
        var image = Image(1, 4, 0.0f, 0.2f, 0.4f, 0.8f);
        var brighter = ColorJitter.AdjustBrightness(image, 1.5);
        Assert.True(brighter.allclose(Image(1, 4, 0.0f, 0.3f, 0.6f, 1.0f), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void ContrastBlendsWithTheImageMeanAndClamps()
    {
        using var scope = NewDisposeScope();
        var image = Image(1, 4, 0.0f, 0.2f, 0.4f, 0.6f); // mean 0.3
        var flatter = ColorJitter.AdjustContrast(image, 0.5);
        Assert.True(flatter.allclose(Image(1, 4, 0.15f, 0.25f, 0.35f, 0.45f), rtol: 0, atol: 1e-6));
        var steeper = ColorJitter.AdjustContrast(image, 3.0); // 3x − 0.6
        Assert.True(steeper.allclose(Image(1, 4, 0.0f, 0.0f, 0.6f, 1.0f), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void SaturationAndHueLeaveGrayUntouched()
    {
        using var scope = NewDisposeScope();
        var image = Phantom(16, 16);
        var jitter = new ColorJitter(brightness: 0, contrast: 0, saturation: 0.8, hue: 0.5);
        Assert.All(Enumerable.Range(0, 20), seed => Assert.True(BitIdentical(image, jitter.Apply(image, new SampleRandom((ulong)seed)))));
    }

    [Fact]
    public void AppliesBothOpsInTheDrawnOrderWithTheDrawnFactors()
    {
        using var scope = NewDisposeScope();
        var image = Phantom(16, 16);
        var jitter = new ColorJitter(brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2);
        var orders = new HashSet<bool>();
        for (ulong seed = 0; seed < 40; seed++)
        {
            // The documented draws: brightness first?, brightness factor, contrast factor.
            var twin = new SampleRandom(seed);
            var brightnessFirst = twin.Chance(0.5);
            var brightness = twin.Uniform(0.2, 1.8);
            var contrast = twin.Uniform(0.2, 1.8);
            orders.Add(brightnessFirst);
            var expected = brightnessFirst
                ? ColorJitter.AdjustContrast(ColorJitter.AdjustBrightness(image, brightness), contrast)
                : ColorJitter.AdjustBrightness(ColorJitter.AdjustContrast(image, contrast), brightness);
            Assert.True(BitIdentical(expected, jitter.Apply(image, new SampleRandom(seed))));
        }

        Assert.Equal(2, orders.Count);
    }

    [Fact]
    public void BrightnessFactorStaysInItsRange()
    {
        using var scope = NewDisposeScope();
        var image = full(1, 4, 4, 0.5f);
        var jitter = new ColorJitter(brightness: 0.4, contrast: 0, saturation: 0, hue: 0);
        var factors = Enumerable.Range(0, 200).Select(seed => jitter.Apply(image, new SampleRandom((ulong)seed)).mean().item<float>() / 0.5f).ToList();
        Assert.All(factors, factor => Assert.InRange(factor, 0.6f - 1e-6f, 1.4f + 1e-6f));
        Assert.True(factors.Min() < 0.7f && factors.Max() > 1.3f, "the factors do not spread over U[0.6, 1.4]");
    }

    [Fact]
    public void RejectsAHueBeyondHalfATurn() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ColorJitter(0.4, 0.4, 0.4, 0.6));
}
