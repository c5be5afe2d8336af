using Reproduce.Learning.Augmentations;
using static Reproduce.Learning.Tests.Augmentations.AugmentationFixtures;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Augmentations;

public class RandomRotationTests
{
    [Fact]
    public void ZeroDegreesIsTheIdentity()
    {
        using var scope = NewDisposeScope();
        var image = Phantom(17, 23);
        Assert.True(BitIdentical(image, RandomRotation.Rotate(image, 0)));
        Assert.True(BitIdentical(image, new RandomRotation(0).Apply(image, new SampleRandom(4))));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(15)]
    public void NinetyDegreesTurnsCounterClockwise(int side)
    {
        using var scope = NewDisposeScope();
        var image = Phantom(side, side);
        // rot90 over (H, W) turns counter-clockwise: the right column becomes the top row.
        Assert.True(BitIdentical(image.rot90(1, (1, 2)), RandomRotation.Rotate(image, 90)));
        Assert.True(BitIdentical(image.flip(1, 2), RandomRotation.Rotate(image, 180)));
    }

    [Fact]
    public void FillsUncoveredCornersWithZero()
    {
        using var scope = NewDisposeScope();
        var rotated = RandomRotation.Rotate(ones(1, 20, 20), 45);
        Assert.Equal(0f, rotated[0, 0, 0].item<float>());
        Assert.Equal(0f, rotated[0, 19, 19].item<float>());
        Assert.Equal(1f, rotated[0, 10, 10].item<float>());
    }

    [Fact]
    public void RotatesByTheDrawnAngle()
    {
        using var scope = NewDisposeScope();
        var image = Phantom(9, 9);
        var rotation = new RandomRotation(180);
        for (ulong seed = 0; seed < 20; seed++)
        {
            var angle = new SampleRandom(seed).Uniform(-180, 180);
            Assert.True(BitIdentical(RandomRotation.Rotate(image, angle), rotation.Apply(image, new SampleRandom(seed))));
        }
    }
}
