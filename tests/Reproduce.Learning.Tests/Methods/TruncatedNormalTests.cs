using Reproduce.Learning.Methods;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Methods;

/// <summary>PyTorch's trunc_normal_ with absolute bounds, which TorchSharp 0.107's own init gets wrong.</summary>
public class TruncatedNormalTests
{
    [Theory]
    // The standard deviation of N(0, σ²) truncated to ±kσ: 0.5377σ for k = 1 (SparK's mask tokens, σ = 0.02),
    // 0.8796σ for k = 2, and σ itself for the decoder's ±2 absolute at σ = 0.02 (k = 100).
    [InlineData(0.02, 0.02, 0.02 * 0.5377)]
    [InlineData(1.0, 2.0, 0.8796)]
    [InlineData(0.02, 2.0, 0.02)]
    public void SamplesHaveTheTruncatedSpreadAndStayWithinTheBounds(double std, double bound, double expectedStd)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        var samples = empty(200_000);

        TruncatedNormal.Fill(samples, std, bound, generator);

        Assert.True(samples.abs().max().item<float>() <= bound);
        Assert.InRange(samples.mean().item<float>(), -0.01 * expectedStd, 0.01 * expectedStd);
        Assert.InRange(samples.std().item<float>(), 0.99 * expectedStd, 1.01 * expectedStd);
    }
}
