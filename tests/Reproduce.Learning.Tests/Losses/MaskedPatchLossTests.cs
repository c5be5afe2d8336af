using Reproduce.Learning.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Losses;

/// <summary>SparK's per-patch-normalised MSE on the masked patches (METHODS.md §1.3 step 5).</summary>
public class MaskedPatchLossTests
{
    private const long Patch = 32;

    [Fact]
    public void TheLossMatchesADirectComputationOnTheMaskedPatches()
    {
        using var scope = NewDisposeScope();
        var input = Input(8);
        var reconstruction = Input(9) * 0.1;
        var active = tensor(new[] { true, false, false, false, false, true, true, false }).view(2, 1, 2, 2);

        var loss = MaskedPatchLoss.Compute(input, reconstruction, active, Patch).item<float>();

        // Patch (b, i, j) is the 32×32×C block at rows 32i…, columns 32j…; five of the eight are masked.
        var expected = 0.0;
        foreach (var (b, i, j) in new[] { (0, 0, 1), (0, 1, 0), (0, 1, 1), (1, 0, 0), (1, 1, 1) })
        {
            var target = input[b, .., (32 * i)..(32 * (i + 1)), (32 * j)..(32 * (j + 1))].flatten();
            var normalised = (target - target.mean()) / (target.var() + 1e-6).sqrt();
            var predicted = reconstruction[b, .., (32 * i)..(32 * (i + 1)), (32 * j)..(32 * (j + 1))].flatten();
            expected += (predicted - normalised).square().mean().item<float>() / 5;
        }

        Assert.Equal(expected, loss, 5);
    }

    [Fact]
    public void AHandComputedPatchGivesItsError()
    {
        using var scope = NewDisposeScope();
        // One 2×2 one-channel patch, masked: values (0, 0, 2, 2) have mean 1 and unbiased variance 4/3, so the
        // normalised target is ±√(3/4)/√(1 + 7.5e-7); a zero reconstruction's error is its mean square, ≈ 3/4.
        var input = tensor(new[] { 0f, 0f, 2f, 2f }).view(1, 1, 2, 2);
        var active = tensor(new[] { false }).view(1, 1, 1, 1);

        var loss = MaskedPatchLoss.Compute(input, zeros_like(input), active, patchSize: 2).item<float>();

        Assert.Equal(0.75 / (1 + (1e-6 * 0.75)), loss, 6);
    }

    [Fact]
    public void VisiblePatchesDoNotCount()
    {
        using var scope = NewDisposeScope();
        var input = Input(3);
        var reconstruction = Input(4);
        var active = tensor(new[] { true, false, true, false }).view(1, 1, 2, 2);
        var visiblePixels = active.to_type(ScalarType.Float32).repeat_interleave(Patch, dim: 2).repeat_interleave(Patch, dim: 3);

        var loss = MaskedPatchLoss.Compute(input.narrow(0, 0, 1), reconstruction.narrow(0, 0, 1), active, Patch).item<float>();
        var changedOnVisible = MaskedPatchLoss.Compute(input.narrow(0, 0, 1), reconstruction.narrow(0, 0, 1) + (visiblePixels * 7), active, Patch).item<float>();

        Assert.Equal(loss, changedOnVisible);
    }

    [Fact]
    public void AReconstructionOfTheNormalisedTargetGivesZero()
    {
        using var scope = NewDisposeScope();
        // A patch reconstructed as its own per-patch-normalised values: zero error wherever it is masked.
        var input = tensor(new[] { 1f, 3f, 5f, 7f }).view(1, 1, 2, 2);
        var normalised = (input - input.mean()) / (input.var() + 1e-6).sqrt();

        var loss = MaskedPatchLoss.Compute(input, normalised, tensor(new[] { false }).view(1, 1, 1, 1), patchSize: 2).item<float>();

        Assert.Equal(0, loss, 6);
    }

    private static Tensor Input(long seed) => randn([2, 3, 2 * Patch, 2 * Patch], generator: new Generator((ulong)seed));
}
