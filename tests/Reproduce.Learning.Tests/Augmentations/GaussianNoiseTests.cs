using Reproduce.Learning.Augmentations;
using static Reproduce.Learning.Tests.Augmentations.AugmentationFixtures;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Augmentations;

public class GaussianNoiseTests
{
    [Theory]
    [InlineData(1e-5)]
    [InlineData(1e-4)]
    public void AddsZeroMeanNoiseOfTheDrawnVariance(double variance)
    {
        using var scope = NewDisposeScope();
        var image = full(3, 64, 64, 0.5f);
        var noisy = new GaussianNoise(variance, variance).Apply(image, new SampleRandom(8));
        var difference = noisy.sub(image).to(ScalarType.Float64);
        Assert.InRange(difference.var().item<double>(), 0.9 * variance, 1.1 * variance);
        Assert.InRange(difference.mean().item<double>(), -0.1 * Math.Sqrt(variance), 0.1 * Math.Sqrt(variance));
    }

    [Fact]
    public void DrawsTheVarianceLogUniformlyInItsRange()
    {
        using var scope = NewDisposeScope();
        var image = full(1, 48, 48, 0.5f);
        var noise = new GaussianNoise(1e-5, 1e-4);
        var variances = Enumerable.Range(0, 40)
            .Select(seed => noise.Apply(image, new SampleRandom((ulong)seed)).sub(image).var().item<float>())
            .ToList();
        Assert.All(variances, variance => Assert.InRange(variance, 0.85e-5, 1.15e-4));
        // Log-uniform: about half the draws fall below the geometric midpoint √(1e-5 · 1e-4).
        Assert.InRange(variances.Count(variance => variance < Math.Sqrt(1e-9)), 10, 30);
    }

    [Fact]
    public void ClampsIntoTheUnitRange()
    {
        using var scope = NewDisposeScope();
        var image = tensor(new[] { 0f, 1f }).repeat(1, 32, 32);
        var noisy = new GaussianNoise(1e-4, 1e-4).Apply(image, new SampleRandom(2));
        Assert.Equal(0f, noisy.min().item<float>());
        Assert.Equal(1f, noisy.max().item<float>());
    }

    [Fact]
    public void SameStreamSameNoise()
    {
        using var scope = NewDisposeScope();
        var image = full(1, 16, 16, 0.5f);
        var noise = new GaussianNoise(1e-5, 1e-4);
        Assert.True(BitIdentical(noise.Apply(image, new SampleRandom(5)), noise.Apply(image, new SampleRandom(5))));
        Assert.False(BitIdentical(noise.Apply(image, new SampleRandom(5)), noise.Apply(image, new SampleRandom(6))));
    }
}
