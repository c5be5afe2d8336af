using Reproduce.Learning.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Losses;

/// <summary>SwAV's swapped-prediction loss (METHODS.md §4.3 step 5).</summary>
public class SwappedPredictionLossTests
{
    private const long Batch = 2;
    private const long Prototypes = 30;

    [Fact]
    public void UniformCodesAndIdenticalScoresGiveLnK()
    {
        using var scope = NewDisposeScope();
        var scores = full(4 * Batch, Prototypes, 0.3f);
        var codes = SinkhornKnopp.Codes(scores.narrow(0, 0, Batch), epsilon: 0.05, iterations: 3);

        var loss = SwappedPredictionLoss.Compute(scores, [codes, codes], temperature: 0.1).item<float>();

        Assert.Equal(Math.Log(Prototypes), loss, 5);
    }

    [Fact]
    public void TwoCropsPredictEachOthersCodes()
    {
        using var scope = NewDisposeScope();
        // One sample, K = 2, τ = 1. Crop 0 scores (ln 3, 0): softmax (3/4, 1/4); crop 1 scores (0, 0): (1/2, 1/2).
        // Codes of crop 0 = (1, 0), of crop 1 = (0, 1). L = ½·(−ln ½ [crop 1 predicts q_0] − ln ¼ [crop 0 predicts q_1]).
        var scores = tensor(new[] { (float)Math.Log(3), 0f, 0f, 0f }).view(2, 2);
        var codes = new[] { tensor(new[] { 1f, 0f }).view(1, 2), tensor(new[] { 0f, 1f }).view(1, 2) };

        var loss = SwappedPredictionLoss.Compute(scores, codes, temperature: 1).item<float>();

        Assert.Equal((Math.Log(2) + Math.Log(4)) / 2, loss, 5);
    }

    [Fact]
    public void AnAssignmentCropNeverPredictsItsOwnCodes()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(8);
        var scores = randn([3 * Batch, Prototypes], generator: generator);
        var codes = nn.functional.softmax(randn([Batch, Prototypes], generator: generator), 1);
        var changedOwnCrop = scores.clone();
        changedOwnCrop.narrow(0, 0, Batch).add_(randn([Batch, Prototypes], generator: generator));

        // With the codes of crop 0 only, crop 0's scores do not enter the loss.
        Assert.Equal(SwappedPredictionLoss.Compute(scores, [codes], 0.1).item<float>(), SwappedPredictionLoss.Compute(changedOwnCrop, [codes], 0.1).item<float>());
    }
}
