using Reproduce.Learning.Augmentations;
using static Reproduce.Learning.Tests.Augmentations.AugmentationFixtures;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Augmentations;

public class ViewPipelineTests
{
    private static readonly ViewPipeline Pipeline = new("test view", 16, 3,
    [
        new RandomResizedCrop(16, 0.2, 1.0, ResizeInterpolation.Bicubic),
        RandomFlip.Horizontal(0.5),
        new RandomApply(new ColorJitter(0.4, 0.4, 0.2, 0.1), 0.8),
        new RandomApply(new GaussianBlur(0.1, 2.0), 0.5),
        new ReplicateChannels(3),
        new RandomApply(new GaussianNoise(1e-5, 1e-4), 0.5),
        Normalize.Ct(3),
    ]);

    [Fact]
    public void TheSameSeedGivesBitIdenticalViews()
    {
        using var scope = NewDisposeScope();
        var image = Phantom(40, 40);
        Assert.True(BitIdentical(Pipeline.Apply(image, new SampleRandom(21)), Pipeline.Apply(image, new SampleRandom(21))));
    }

    [Fact]
    public void AnotherSeedGivesAnotherView()
    {
        using var scope = NewDisposeScope();
        var image = Phantom(40, 40);
        Assert.False(BitIdentical(Pipeline.Apply(image, new SampleRandom(21)), Pipeline.Apply(image, new SampleRandom(22))));
    }

    [Fact]
    public void LeavesItsInputAlone()
    {
        using var scope = NewDisposeScope();
        var image = Phantom(40, 40);
        var before = image.clone();
        foreach (var seed in Enumerable.Range(0, 10))
        {
            Pipeline.Apply(image, new SampleRandom((ulong)seed));
        }

        Assert.True(BitIdentical(before, image));
    }

    [Fact]
    public void ReturnsACopyWhenEveryTransformPassesTheImageThrough()
    {
        using var scope = NewDisposeScope();
        var image = Phantom(8, 8);
        var passThrough = new ViewPipeline("identity", 8, 1, [new RandomApply(new Solarize(), 0.0)]);
        var view = passThrough.Apply(image, new SampleRandom(0));
        Assert.NotSame(image, view);
        Assert.True(BitIdentical(image, view));
    }

    [Fact]
    public void RejectsAnOutputOfTheWrongShape()
    {
        using var scope = NewDisposeScope();
        var wrong = new ViewPipeline("wrong", 12, 1, [new RandomResizedCrop(16, 0.5, 1.0, ResizeInterpolation.Bilinear)]);
        var error = Assert.Throws<InvalidOperationException>(() => wrong.Apply(Phantom(20, 20), new SampleRandom(0)));
        Assert.Contains("wrong", error.Message);
    }
}
