using Reproduce.Learning.Augmentations;
using static Reproduce.Learning.Tests.Augmentations.AugmentationFixtures;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Augmentations;

public class ReplicateChannelsTests
{
    [Fact]
    public void CopiesGrayToEveryChannel()
    {
        using var scope = NewDisposeScope();
        var image = Phantom(5, 7);
        var replicated = new ReplicateChannels(3).Apply(image, new SampleRandom(0));
        Assert.Equal([3L, 5, 7], replicated.shape);
        Assert.All(Enumerable.Range(0, 3), channel => Assert.True(BitIdentical(image[0], replicated[channel])));
    }

    [Fact]
    public void OneChannelIsLeftAsIs()
    {
        using var scope = NewDisposeScope();
        var image = Phantom(5, 7);
        Assert.Same(image, new ReplicateChannels(1).Apply(image, new SampleRandom(0)));
    }

    [Fact]
    public void RejectsAnImageThatIsNotGray()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => new ReplicateChannels(3).Apply(zeros(3, 4, 4), new SampleRandom(0)));
    }
}
