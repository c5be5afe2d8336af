using Reproduce.Learning.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Reproduce.Learning.Models;

/// <summary>
/// A torchvision residual block: BasicBlock (ResNet18/34: conv1 3×3, conv2 3×3) or Bottleneck (ResNet50:
/// conv1 1×1, conv2 3×3 carrying the stride ("v1.5"), conv3 1×1, expansion 4), with <c>downsample</c> =
/// (1×1 conv, BN) when the shape changes. Optionally the last BN's γ starts at zero (timm's
/// zero_init_last_bn, SparK) and the residual branch is dropped per sample with probability
/// <c>dropPath</c> (timm DropPath: applied after the last BN, survivors scaled by 1/(1 − p)). Every BN
/// normalises over <c>batchNormSplits</c> sub-batches in training, interleaved or as blocks (<see cref="MaskedBatchNorm2d"/>).
/// </summary>
public sealed class ResidualBlock : Module<Tensor, Tensor>
{
    private readonly MaskedConv2d conv1;
    private readonly MaskedBatchNorm2d bn1;
    private readonly MaskedConv2d conv2;
    private readonly MaskedBatchNorm2d bn2;
    private readonly MaskedConv2d? conv3;
    private readonly MaskedBatchNorm2d? bn3;
    private readonly Module<Tensor, Tensor>? downsample;
    private readonly double dropPath;
    private readonly CellRandom random;

    /// <summary>
    /// Block <paramref name="name"/> of a network with <paramref name="options"/>: its kind (basic or bottleneck), the
    /// zero-initialised last BN and the BN splits (as blocks when the network is channels-last) come from them.
    /// </summary>
    public ResidualBlock(string name, ResNetOptions options, long inChannels, long width, long stride, double dropPath, SparseMask mask, CellRandom random)
        : base(name)
    {
        this.dropPath = dropPath;
        this.random = random;
        var bottleneck = options.Layout.Bottleneck;
        var outChannels = bottleneck ? width * 4 : width;
        MaskedConv2d Conv(string convName, long from, long to, long kernel, long convStride) =>
            new(convName, from, to, kernel, convStride, kernel / 2, mask, random.Init);
        MaskedBatchNorm2d Norm(string normName, long channels) =>
            new(normName, channels, mask, options.BatchNormSplits, splitsAsBlocks: options.ChannelsLast);
        if (bottleneck)
        {
            conv1 = Conv("conv1", inChannels, width, 1, 1);
            bn1 = Norm("bn1", width);
            conv2 = Conv("conv2", width, width, 3, stride);
            bn2 = Norm("bn2", width);
            conv3 = Conv("conv3", width, outChannels, 1, 1);
            bn3 = Norm("bn3", outChannels);
        }
        else
        {
            conv1 = Conv("conv1", inChannels, width, 3, stride);
            bn1 = Norm("bn1", width);
            conv2 = Conv("conv2", width, width, 3, 1);
            bn2 = Norm("bn2", width);
        }

        if (stride != 1 || inChannels != outChannels)
        {
            downsample = Sequential(("0", Conv("0", inChannels, outChannels, 1, stride)), ("1", Norm("1", outChannels)));
        }

        if (options.ZeroInitLastBn)
        {
            using (no_grad())
            {
                (bn3 ?? bn2).Weight.zero_();
            }
        }

        OutChannels = outChannels;
        RegisterComponents();
    }

    public long OutChannels { get; }

    public override Tensor forward(Tensor input)
    {
        // The block's intermediates are released when it returns, as TorchSharp's own ResNet does: autograd
        // keeps what backward needs natively, and the rest would otherwise live until the step's scope ends
        // (measured: ResNet50 at 224 px held twice PyTorch's memory without this).
        // ReLU and the residual sum work in place, as torchvision's block does: BN's backward reads its input, not its
        // output, so overwriting the output saves a full-size tensor per ReLU and per sum, and writing it again.
        using var scope = NewDisposeScope();
        var branch = bn1.forward(conv1.forward(input)).relu_();
        branch = bn2.forward(conv2.forward(branch));
        if (conv3 is not null)
        {
            branch = bn3!.forward(conv3.forward(branch.relu_()));
        }

        if (training && dropPath > 0)
        {
            // One Bernoulli draw per sample, from the cell's step stream; zeros (masked positions) stay zero.
            var keep = 1 - dropPath;
            var survivors = random.Uniform([branch.shape[0], 1, 1, 1], branch.device).lt(keep).to_type(branch.dtype);
            branch = branch * survivors / keep;
        }

        var shortcut = downsample is null ? input : downsample.forward(input);
        return scope.MoveToOuter(branch.add_(shortcut).relu_());
    }
}
