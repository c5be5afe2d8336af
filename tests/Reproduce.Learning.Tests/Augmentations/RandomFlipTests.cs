using Reproduce.Learning.Augmentations;
using static Reproduce.Learning.Tests.Augmentations.AugmentationFixtures;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Augmentations;

public class RandomFlipTests
{
    [Fact]
    public void HorizontalFlipMirrorsLeftAndRight()
    {
        using var scope = NewDisposeScope();
        var image = Image(2, 3, 1, 2, 3, 4, 5, 6);
        var flipped = RandomFlip.Horizontal(1.0).Apply(image, new SampleRandom(0));
        Assert.True(BitIdentical(Image(2, 3, 3, 2, 1, 6, 5, 4), flipped));
    }

    [Fact]
    public void VerticalFlipMirrorsTopAndBottom()
    {
        using var scope = NewDisposeScope();
        var image = Image(2, 3, 1, 2, 3, 4, 5, 6);
        var flipped = RandomFlip.Vertical(1.0).Apply(image, new SampleRandom(0));
        Assert.True(BitIdentical(Image(2, 3, 4, 5, 6, 1, 2, 3), flipped));
    }

    [Fact]
    public void FlipsWithTheGivenProbability()
    {
        using var scope = NewDisposeScope();
        var image = Image(1, 2, 0, 1);
        var flip = RandomFlip.Horizontal(0.5);
        var flips = Enumerable.Range(0, 400).Count(seed => !BitIdentical(image, flip.Apply(image, new SampleRandom((ulong)seed))));
        Assert.InRange(flips, 160, 240);
        Assert.Same(image, RandomFlip.Vertical(0.0).Apply(image, new SampleRandom(1)));
    }
}
