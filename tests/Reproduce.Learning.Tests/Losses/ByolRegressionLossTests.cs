using Reproduce.Learning.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Losses;

/// <summary>BYOL's normalised regression loss (METHODS.md §2.3 step 4).</summary>
public class ByolRegressionLossTests
{
    [Fact]
    public void TheLossIsTwoMinusTwiceTheCosine()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        var z = randn([16, 32], generator: generator);
        var p = randn([16, 32], generator: generator);

        // Per term ∈ [0, 4]; 0 for a positive multiple, 4 for the opposite, 2 for orthogonal vectors.
        var random = ByolRegressionLoss.Compute(p, z).item<float>();
        Assert.InRange(random, 0, 4);
        Assert.Equal(0, ByolRegressionLoss.Compute(3.7 * z, z).item<float>(), 1e-6);
        Assert.Equal(4, ByolRegressionLoss.Compute(-z, z).item<float>(), 1e-6);
        var orthogonal = p - ((p * z).sum(dim: 1, keepdim: true) / (z * z).sum(dim: 1, keepdim: true) * z);
        Assert.Equal(2, ByolRegressionLoss.Compute(orthogonal, z).item<float>(), 1e-6);

        // Invariant to positive rescaling of either argument, row by row.
        var scales = rand([16, 1], generator: generator) + 0.1;
        Assert.Equal(random, ByolRegressionLoss.Compute(p * scales, z * 5).item<float>(), 1e-6);

        // The batch mean of per-row terms: half the rows aligned (0), half opposed (4).
        var mixed = cat([z.narrow(0, 0, 8), -z.narrow(0, 8, 8)], dim: 0);
        Assert.Equal(2, ByolRegressionLoss.Compute(mixed, z).item<float>(), 1e-6);
    }

    [Fact]
    public void ATermAtSixtyDegreesIsOne()
    {
        using var scope = NewDisposeScope();

        // cos 60° = 1/2, so 2 − 2·cos = 1.
        var loss = ByolRegressionLoss.Compute(tensor(new[] { 1f, 0f }).view(1, 2), tensor(new[] { 0.5f, MathF.Sqrt(3) / 2 }).view(1, 2));

        Assert.Equal(1, loss.item<float>(), 1e-6);
    }

    [Fact]
    public void TheSymmetricLossPairsEachPredictionWithTheOtherViewsTarget()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f, 0f }).view(1, 2);
        var y = tensor(new[] { 0f, 1f }).view(1, 2);

        // p1 = z'2 and p2 = −z'1: 0 + 4. Pairing each prediction with its own view's target would give 2 + 2.
        Assert.Equal(4, ByolRegressionLoss.Symmetric(y, -x, x, y).item<float>(), 1e-6);
        Assert.Equal(0, ByolRegressionLoss.Symmetric(y, x, x, y).item<float>(), 1e-6);
    }

    [Fact]
    public void TheSymmetricLossIsTheSameWithTheViewsSwapped()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var (p1, p2, z1, z2) = (randn([4, 8], generator: generator), randn([4, 8], generator: generator), randn([4, 8], generator: generator), randn([4, 8], generator: generator));

        Assert.Equal(ByolRegressionLoss.Symmetric(p1, p2, z1, z2).item<float>(), ByolRegressionLoss.Symmetric(p2, p1, z2, z1).item<float>(), 1e-6);
        Assert.InRange(ByolRegressionLoss.Symmetric(p1, p2, z1, z2).item<float>(), 0, 8);
    }
}
