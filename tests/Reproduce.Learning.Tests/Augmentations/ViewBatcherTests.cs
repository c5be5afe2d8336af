using Reproduce.Learning.Augmentations;
using static Reproduce.Learning.Tests.Augmentations.AugmentationFixtures;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Augmentations;

public class ViewBatcherTests
{
    private static readonly IReadOnlyList<ViewPipeline> SwAVViews = MethodViews.Create(DefaultSpec("swav", MethodViews.Reference), 32, 3);

    [Fact]
    public void BuildsOneBatchPerViewOfTheViewsShape()
    {
        using var scope = NewDisposeScope();
        var batches = new ViewBatcher(SwAVViews, 1).Build(Images(3), stepSeed: 4);
        Assert.Equal(SwAVViews.Count, batches.Length);
        Assert.All(batches.Zip(SwAVViews), pair =>
            Assert.Equal([3L, 3, pair.Second.OutputSize, pair.Second.OutputSize], pair.First.shape));
    }

    [Fact]
    public void TheBatchesDoNotDependOnTheThreadCount()
    {
        using var scope = NewDisposeScope();
        var images = Images(6);
        var serial = new ViewBatcher(SwAVViews, 1).Build(images, stepSeed: 17);
        var parallel = new ViewBatcher(SwAVViews, 2).Build(images, stepSeed: 17);
        Assert.All(serial.Zip(parallel), pair => Assert.True(BitIdentical(pair.First, pair.Second)));
    }

    [Fact]
    public void EachSampleIsItsOwnViewStream()
    {
        using var scope = NewDisposeScope();
        var images = Images(4);
        var batches = new ViewBatcher(SwAVViews, 2).Build(images, stepSeed: 9);
        // Sample 2 of view 5, recomputed alone: independent of the other samples in the batch.
        var alone = SwAVViews[5].Apply(ToTensor.FromBytes(images[2]), SampleRandom.ForView(9, 2, 5));
        Assert.True(BitIdentical(alone, batches[5][2]));
    }

    [Fact]
    public void AnotherStepSeedGivesOtherViews()
    {
        using var scope = NewDisposeScope();
        var images = Images(2);
        var first = new ViewBatcher(SwAVViews, 1).Build(images, stepSeed: 1);
        var second = new ViewBatcher(SwAVViews, 1).Build(images, stepSeed: 2);
        Assert.All(first.Zip(second), pair => Assert.False(BitIdentical(pair.First, pair.Second)));
    }

    [Fact]
    public void RefusesImagesThatAreNotStoredBytes()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => new ViewBatcher(SwAVViews, 1).Build([Phantom(40, 44)], stepSeed: 1));
        Assert.Contains("uint8", error.Message);
    }

    private static List<Tensor> Images(int count) =>
        [.. Enumerable.Range(0, count).Select(index => StoredPhantom(40 + (4 * index), 44).roll(3 * index, -1))];
}
