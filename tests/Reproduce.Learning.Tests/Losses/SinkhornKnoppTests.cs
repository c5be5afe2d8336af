using Reproduce.Learning.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Losses;

/// <summary>SwAV's Sinkhorn-Knopp code assignment (METHODS.md §4.3 step 4, the tests of §4.5).</summary>
public class SinkhornKnoppTests
{
    [Theory]
    // Random unit-norm features, 3 iterations: the column marginal is close (≈1.3e-3 relative at B = 64, K = 3000, §4.5).
    [InlineData(64, 3000, 3, 3e-3)]
    // Tiny K is far off after 3 iterations (up to 12 %, §4.5) but converges with many.
    [InlineData(32, 10, 3, 0.15)]
    [InlineData(32, 10, 100, 1e-6)]
    public void CodesAreNonNegativeRowsSumToOneAndColumnsToBOverK(long samples, long prototypes, long iterations, double columnTolerance)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        var features = nn.functional.normalize(randn(samples, 128, generator: generator), dim: 1);
        var weights = nn.functional.normalize(randn(prototypes, 128, generator: generator), dim: 1);

        var codes = SinkhornKnopp.Codes(features.mm(weights.t()), epsilon: 0.05, iterations);

        Assert.Equal([samples, prototypes], codes.shape);
        Assert.True(codes.min().item<float>() >= 0);
        Assert.True((codes.sum(dim: 1) - 1).abs().max().item<float>() <= 3e-7);
        var columnError = ((codes.sum(dim: 0) / ((double)samples / prototypes)) - 1).abs().max().item<float>();
        Assert.True(columnError <= columnTolerance, $"column sums are off by {columnError} (relative)");
    }

    [Fact]
    public void IdenticalScoresGiveUniformCodes()
    {
        using var scope = NewDisposeScope();

        var codes = SinkhornKnopp.Codes(full(4, 6, 0.3f), epsilon: 0.05, iterations: 3);

        Assert.True(codes.allclose(full_like(codes, 1.0 / 6), rtol: 0, atol: 1e-7));
    }

    [Fact]
    public void EachSampleLeansToItsBestPrototypeUnderEquipartition()
    {
        using var scope = NewDisposeScope();
        // Two samples, two prototypes, each sample's score highest on a different prototype: the codes are
        // a permutation matrix in the limit, and each row's mass sits on its best prototype already.
        var scores = tensor(new[] { 0.9f, 0.1f, 0.2f, 0.8f }).view(2, 2);

        var codes = SinkhornKnopp.Codes(scores, epsilon: 0.05, iterations: 3);

        Assert.True(codes[0, 0].item<float>() > 0.99f && codes[1, 1].item<float>() > 0.99f);
    }

    [Fact]
    public void ShiftingEveryScoreByAConstantChangesNoCode()
    {
        using var scope = NewDisposeScope();
        var scores = randn([8, 5], generator: new Generator(4));

        var codes = SinkhornKnopp.Codes(scores, epsilon: 0.05, iterations: 3);
        var shifted = SinkhornKnopp.Codes(scores + 0.25, epsilon: 0.05, iterations: 3);

        Assert.True(codes.allclose(shifted, rtol: 1e-5, atol: 1e-7));
    }

    [Fact]
    public void CodesCarryNoGradient()
    {
        using var scope = NewDisposeScope();
        var scores = randn([4, 3], generator: new Generator(6)).requires_grad_(true);

        Assert.False(SinkhornKnopp.Codes(scores, epsilon: 0.05, iterations: 3).requires_grad);
    }
}
