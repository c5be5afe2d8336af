using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Reproduce.Learning.Losses;

/// <summary>BYOL's normalised regression loss (METHODS.md §2.3 step 4), over (B, D) predictions and target projections.</summary>
public static class ByolRegressionLoss
{
    /// <summary>
    /// ℓ(p, z') = mean over the batch of ‖p/‖p‖ − z'/‖z'‖‖² = 2 − 2·cos(p, z'), in [0, 4]: 0 when a row of p is a
    /// positive multiple of z''s, 4 when it is a negative one.
    /// </summary>
    public static Tensor Compute(Tensor prediction, Tensor target)
    {
        var cosine = (functional.normalize(prediction, dim: 1) * functional.normalize(target, dim: 1)).sum(dim: 1);
        return (2 - (2 * cosine)).mean();
    }

    /// <summary>
    /// L = ℓ(p1, z'2) + ℓ(p2, z'1): each view's prediction regresses the other view's target projection, as the
    /// reference symmetrises it (§2.3 step 4); in [0, 8]. The targets are expected to carry no gradient.
    /// </summary>
    public static Tensor Symmetric(Tensor firstPrediction, Tensor secondPrediction, Tensor firstTarget, Tensor secondTarget) =>
        Compute(firstPrediction, secondTarget) + Compute(secondPrediction, firstTarget);
}
