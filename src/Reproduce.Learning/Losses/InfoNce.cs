using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Reproduce.Learning.Losses;

/// <summary>MoCo v2's InfoNCE over a queue of negative keys (METHODS.md §3.3 steps 4–5).</summary>
public static class InfoNce
{
    /// <summary>
    /// [l_pos, l_neg]/T (B, 1 + K) for unit-norm queries and keys (B, D) and a queue (D, K): l_pos = q·k per row,
    /// l_neg = q·queue (§3.3 step 4).
    /// </summary>
    public static Tensor Logits(Tensor queries, Tensor keys, Tensor queue, double temperature)
    {
        var positive = (queries * keys).sum(dim: 1, keepdim: true);
        var negative = queries.mm(queue);
        return cat([positive, negative], dim: 1) / temperature;
    }

    /// <summary>The batch mean of the cross-entropy with the positive (column 0) as every row's label (§3.3 step 5).</summary>
    public static Tensor Loss(Tensor logits) =>
        functional.cross_entropy(logits, zeros(logits.shape[0], dtype: ScalarType.Int64, device: logits.device));
}
