using Reproduce.Learning.Augmentations;
using static Reproduce.Learning.Tests.Augmentations.AugmentationFixtures;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Augmentations;

public class GaussianBlurTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void KeepsAConstantImage(double sigma)
    {
        using var scope = NewDisposeScope();
        var image = full(3, 20, 24, 0.3f);
        Assert.True(GaussianBlur.Blur(image, sigma).allclose(image, rtol: 0, atol: 1e-6));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void SpreadsAnInteriorImpulseSymmetricallyWithoutChangingItsSum(double sigma)
    {
        using var scope = NewDisposeScope();
        var image = zeros(1, 31, 31);
        image[0, 15, 15] = tensor(1.0f);
        var blurred = GaussianBlur.Blur(image, sigma);
        Assert.Equal(1.0, blurred.sum().item<float>(), 5);
        Assert.True(blurred[0, 15, 15].item<float>() < 1.0f);
        Assert.True(blurred.allclose(blurred.flip(-1), rtol: 0, atol: 1e-7));
        Assert.True(blurred.allclose(blurred.transpose(-1, -2), rtol: 0, atol: 1e-7));
        // A wider Gaussian keeps less at the centre: 1 / (2πσ²) for the continuous one.
        Assert.Equal(1 / (2 * Math.PI * sigma * sigma), blurred[0, 15, 15].item<float>(), sigma < 1 ? 0.05 : 0.002);
    }

    [Fact]
    public void ImagesSmallerThanTheKernelStillBlur()
    {
        using var scope = NewDisposeScope();
        var image = Image(3, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0);
        var blurred = GaussianBlur.Blur(image, 2.0);
        Assert.Equal([1L, 3, 3], blurred.shape);
        Assert.True(blurred.max().item<float>() < 1.0f && blurred.min().item<float>() > 0.0f);
    }

}
