using Reproduce.Core.Randomness;
using Reproduce.Data.Preprocessing;

namespace Reproduce.Data.Tests.Preprocessing;

public class ResamplerTests
{
    [Fact]
    public void SameSizeCopiesExactly()
    {
        var source = Random(7, 5, seed: 1);
        var target = new float[35];
        new Resampler(7, 5, 7, 5).Resize(source, target);
        Assert.Equal(source, target);
    }

    [Fact]
    public void HalvingAveragesEachTwoByTwoBlock()
    {
        float[] source = [1, 3, 5, 7, 9, 11, 13, 15, 2, 4, 6, 8, 10, 12, 14, 16];
        var target = new float[4];
        new Resampler(4, 4, 2, 2).Resize(source, target);
        Assert.Equal([(1 + 3 + 9 + 11) / 4f, (5 + 7 + 13 + 15) / 4f, (2 + 4 + 10 + 12) / 4f, (6 + 8 + 14 + 16) / 4f], target);
    }

    [Theory]
    [InlineData(512, 64)]
    [InlineData(100, 64)]
    [InlineData(97, 13)]
    [InlineData(640, 224)]
    public void AreaShrinkingKeepsTheMeanAndTheRange(int from, int to)
    {
        var source = Random(from, from, seed: from);
        var target = new float[to * to];
        new Resampler(from, from, to, to).Resize(source, target);
        Assert.Equal(source.Average(), target.Average(), 2);
        Assert.True(target.Min() >= source.Min() - 1e-3 && target.Max() <= source.Max() + 1e-3);
    }

    [Fact]
    public void GrowingIsBilinearWithHalfPixelCentresLikeTorchAlignCornersFalse()
    {
        // torch.nn.functional.interpolate([[0, 10]], size=4, mode='linear', align_corners=False) = [0, 2.5, 7.5, 10].
        var target = new float[4];
        new Resampler(2, 1, 4, 1).Resize([0f, 10f], target);
        Assert.Equal([0f, 2.5f, 7.5f, 10f], target);
    }

    [Fact]
    public void AConstantImageStaysConstantWhicheverWayEachAxisGoes()
    {
        var source = Enumerable.Repeat(42.5f, 30 * 11).ToArray();
        var target = new float[17 * 20];
        new Resampler(30, 11, 17, 20).Resize(source, target);
        Assert.All(target, v => Assert.Equal(42.5f, v, 4));
    }

    private static float[] Random(int width, int height, int seed)
    {
        var random = new SplitMix64((ulong)seed);
        return Enumerable.Range(0, width * height).Select(_ => (float)(random.NextDouble() * 255)).ToArray();
    }
}
