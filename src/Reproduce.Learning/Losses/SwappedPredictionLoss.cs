using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Losses;

/// <summary>SwAV's swapped prediction: every crop predicts the codes of the other assignment crops (METHODS.md §4.3 step 5).</summary>
public static class SwappedPredictionLoss
{
    /// <summary>
    /// L = mean over assignment crops i of the mean over the other crops v of −(1/B) Σ_b Σ_k q_i·log softmax(S_v/τ),
    /// for scores (V·B, K) stacked crop after crop and the codes (B, K) of crops 0 … codes.Count − 1
    /// (<see cref="SinkhornKnopp"/>).
    /// </summary>
    public static Tensor Compute(Tensor scores, IReadOnlyList<Tensor> codes, double temperature)
    {
        var batch = codes[0].shape[0];
        var crops = scores.shape[0] / batch;
        var logProbabilities = (scores / temperature).log_softmax(1);
        Tensor? loss = null;
        for (var i = 0; i < codes.Count; i++)
        {
            Tensor? subloss = null;
            for (var v = 0; v < crops; v++)
            {
                if (v != i)
                {
                    var crossEntropy = -(codes[i] * logProbabilities.narrow(0, v * batch, batch)).sum(dim: 1).mean();
                    subloss = subloss is null ? crossEntropy : subloss + crossEntropy;
                }
            }

            var cropLoss = subloss! / (crops - 1);
            loss = loss is null ? cropLoss : loss + cropLoss;
        }

        return loss! / codes.Count;
    }
}
