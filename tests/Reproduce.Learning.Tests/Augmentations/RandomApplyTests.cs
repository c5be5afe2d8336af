using Reproduce.Learning.Augmentations;
using static Reproduce.Learning.Tests.Augmentations.AugmentationFixtures;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Augmentations;

public class RandomApplyTests
{
    [Fact]
    public void AppliesWithTheGivenProbability()
    {
        using var scope = NewDisposeScope();
        var image = Phantom(8, 8);
        var blur = new RandomApply(new GaussianBlur(0.1, 2.0), 0.3);
        var applied = Enumerable.Range(0, 400).Count(seed => !ReferenceEquals(image, blur.Apply(image, new SampleRandom((ulong)seed))));
        Assert.InRange(applied, 90, 150);
    }

    [Fact]
    public void CertaintyAndImpossibilityAreExact()
    {
        using var scope = NewDisposeScope();
        var image = Phantom(8, 8);
        Assert.All(Enumerable.Range(0, 50), seed =>
        {
            Assert.Same(image, new RandomApply(new Solarize(), 0.0).Apply(image, new SampleRandom((ulong)seed)));
            Assert.NotSame(image, new RandomApply(new Solarize(), 1.0).Apply(image, new SampleRandom((ulong)seed)));
        });
    }

    [Fact]
    public void DrawsTheCoinBeforeTheTransformsOwnDraws()
    {
        using var scope = NewDisposeScope();
        var image = Phantom(9, 9);
        var rotation = new RandomApply(new RandomRotation(180), 0.5);
        for (ulong seed = 0; seed < 30; seed++)
        {
            var twin = new SampleRandom(seed);
            var expected = twin.Chance(0.5) ? RandomRotation.Rotate(image, twin.Uniform(-180, 180)) : image;
            Assert.True(BitIdentical(expected, rotation.Apply(image, new SampleRandom(seed))));
        }
    }
}
