using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Reproduce.Learning.Models;

/// <summary>
/// BatchNorm2d with PyTorch's names and defaults (<c>weight</c>, <c>bias</c>, <c>running_mean</c>,
/// <c>running_var</c>, <c>num_batches_tracked</c>; momentum 0.1, eps 1e-5). Under a sparse mask it is
/// SparK's sparse BN (METHODS.md §1.4) in its masked-statistics form: mean and biased variance over the
/// visible positions only, running statistics updated from them (the variance unbiased with n = the
/// number of visible positions), and the output zero at masked positions. With <c>splits</c> G > 1 the dense
/// training path is MoCo's SplitBatchNorm (METHODS.md §0.5, §3.3, the authors' colab port): sample n belongs
/// to sub-batch n mod G, each sub-batch is normalised with its own statistics (as one GPU of G would), and
/// the running statistics become the mean of the G sub-batch updates. Evaluation is plain BN either way.
/// </summary>
public sealed class MaskedBatchNorm2d : Module<Tensor, Tensor>
{
    private const double Momentum = 0.1;
    private const double Epsilon = 1e-5;
    private static readonly long[] ReducedDimensions = [0, 2, 3];
    private static readonly long[] AcrossSplits = [0];

    private readonly SparseMask mask;
    private readonly int splits;
    private readonly bool splitsAsBlocks;
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor running_mean;
    private readonly Tensor running_var;
    private readonly Tensor num_batches_tracked;

    /// <param name="splitsAsBlocks">
    /// Sub-batch g is the g-th block of N/G samples instead of samples g, g + G, …: a channels-last trunk orders its batch so
    /// (<see cref="ResNet"/>), since viewing NHWC as (N/G, G·C, H, W) would copy it into NCHW.
    /// </param>
    public MaskedBatchNorm2d(string name, long channels, SparseMask mask, int splits = 1, bool splitsAsBlocks = false)
        : base(name)
    {
        if (splits < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(splits), splits, "BN needs at least one sub-batch");
        }

        this.mask = mask;
        this.splits = splits;
        this.splitsAsBlocks = splitsAsBlocks;
        weight = new Parameter(ones(channels));
        bias = new Parameter(zeros(channels));
        running_mean = zeros(channels);
        running_var = ones(channels);
        num_batches_tracked = tensor(0L);   // a 0-d int64 buffer, as PyTorch's
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public Tensor RunningMean => running_mean;

    public Tensor RunningVariance => running_var;

    public override Tensor forward(Tensor input)
    {
        if (training)
        {
            using (no_grad())
            {
                num_batches_tracked.add_(1);
            }
        }

        if (mask.Active is null)
        {
            return training && splits > 1
                ? SplitBatchNorm(input)
                : functional.batch_norm(input, running_mean, running_var, weight, bias, training, Momentum, Epsilon);
        }

        var visible = mask.At(input.shape[2], input.shape[3]);
        if (!training)
        {
            return functional.batch_norm(input, running_mean, running_var, weight, bias, false, Momentum, Epsilon) * visible;
        }

        // Statistics over visible positions only; the (B, 1, h, w) mask counts them once for every channel. The
        // full-size temporaries autograd does not keep go when the output is made, not at the end of the step.
        using var scope = NewDisposeScope();
        var count = visible.sum();
        var mean = (input * visible).sum(ReducedDimensions, keepdim: true) / count;
        var centred = input - mean;
        var variance = (centred.square() * visible).sum(ReducedDimensions, keepdim: true) / count;
        using (no_grad())
        {
            var n = count.item<float>();
            running_mean.mul_(1 - Momentum).add_(mean.flatten(), alpha: Momentum);
            running_var.mul_(1 - Momentum).add_(variance.flatten() * (n / Math.Max(n - 1, 1)), alpha: Momentum);
        }

        var scale = weight.view(1, -1, 1, 1) * (variance + Epsilon).rsqrt();
        return scope.MoveToOuter(((centred * scale) + bias.view(1, -1, 1, 1)) * visible);
    }

    /// <summary>Refuses a batch of <paramref name="count"/> that <paramref name="splits"/> BN sub-batches cannot share equally.</summary>
    internal static void RequireEqualSplits(long count, int splits)
    {
        if (count % splits != 0)
        {
            throw new InvalidOperationException($"a batch of {count} does not split into {splits} equal BN sub-batches");
        }
    }

    /// <summary>
    /// (N, C, H, W) viewed as (N/G, G·C, H, W): channel block g then holds samples g, g + G, …, so one batch_norm call
    /// with γ, β and the running statistics tiled G times normalises each sub-batch alone. With splitsAsBlocks each block
    /// of N/G samples is normalised by its own call instead.
    /// </summary>
    private Tensor SplitBatchNorm(Tensor input)
    {
        var (count, channels) = (input.shape[0], input.shape[1]);
        RequireEqualSplits(count, splits);

        var meanPerSplit = running_mean.repeat(splits);
        var variancePerSplit = running_var.repeat(splits);
        var output = splitsAsBlocks
            ? BlockwiseBatchNorm(input, meanPerSplit.view(splits, channels), variancePerSplit.view(splits, channels))
            : functional.batch_norm(
                input.reshape(count / splits, splits * channels, input.shape[2], input.shape[3]),
                meanPerSplit, variancePerSplit, weight.repeat(splits), bias.repeat(splits), true, Momentum, Epsilon).reshape(input.shape);
        using (no_grad())
        {
            running_mean.copy_(meanPerSplit.view(splits, channels).mean(AcrossSplits));
            running_var.copy_(variancePerSplit.view(splits, channels).mean(AcrossSplits));
        }

        return output;
    }

    /// <summary>Block g of the batch normalised with its own statistics, updating row g of the running statistics: chunks of an NHWC batch stay NHWC, and so does their concatenation.</summary>
    private Tensor BlockwiseBatchNorm(Tensor input, Tensor meanPerSplit, Tensor variancePerSplit)
    {
        // The blocks' outputs go once concatenated: BN's backward keeps its input, the concatenation only sizes.
        using var scope = NewDisposeScope();
        var blocks = input.chunk(splits, 0);
        var outputs = new Tensor[splits];
        for (var g = 0; g < splits; g++)
        {
            outputs[g] = functional.batch_norm(blocks[g], meanPerSplit[g], variancePerSplit[g], weight, bias, true, Momentum, Epsilon);
        }

        return scope.MoveToOuter(cat(outputs, 0));
    }
}
