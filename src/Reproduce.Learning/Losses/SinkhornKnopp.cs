using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Losses;

/// <summary>SwAV's code assignment: equipartitioned soft codes from prototype scores (METHODS.md §4.3 step 4).</summary>
public static class SinkhornKnopp
{
    /// <summary>
    /// Sinkhorn-Knopp on scores (B', K) with entropic regularisation ε: codes (B', K) whose rows sum to 1 and whose
    /// columns sum to B'/K (exactly only in the limit of iterations), computed in fp32 without gradient. The
    /// iteration order (rows of Qᵀ, then columns) and the final scaling by B' are the reference's
    /// (<c>distributed_sinkhorn</c> on one process).
    /// </summary>
    public static Tensor Codes(Tensor scores, double epsilon, long iterations)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var scoresBk = scores.to_type(ScalarType.Float32);
        var (samples, prototypeCount) = (scoresBk.shape[0], scoresBk.shape[1]);

        // Subtracting the maximum changes nothing after the global normalisation, but keeps exp finite.
        var q = ((scoresBk - scoresBk.max()) / epsilon).exp_().t(); // (K, B')
        q = q / q.sum();
        for (var i = 0; i < iterations; i++)
        {
            q.div_(q.sum(dim: 1, keepdim: true)).div_(prototypeCount);
            q.div_(q.sum(dim: 0, keepdim: true)).div_(samples);
        }

        return (q * samples).t().MoveToOuterDisposeScope();
    }
}
