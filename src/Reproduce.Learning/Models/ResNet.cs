using Reproduce.Learning.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Reproduce.Learning.Models;

/// <summary>
/// The one ResNet of the suite (METHODS.md §0.2): torchvision's architecture and parameter names
/// (<c>conv1</c>, <c>bn1</c>, <c>layer1.0.conv1</c>, <c>layer1.0.downsample.0</c> …) without the fc
/// layer, so its state dict is key-compatible with torchvision's and timm's trunks. <see cref="forward"/>
/// gives the globally pooled features (B, <see cref="FeatureDim"/>); <see cref="Stages"/> the four stage
/// outputs SparK's decoder needs. Under <see cref="Mask"/> every conv, BN and pool output is zero at
/// masked positions (SparK's sparse encoder, §1.4); without it the trunk is dense.
/// </summary>
public sealed class ResNet : Module<Tensor, Tensor>
{
    private readonly MaskedConv2d conv1;
    private readonly MaskedBatchNorm2d bn1;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;

    /// <summary>A trunk of <paramref name="options"/>' shape: weights from <paramref name="random"/>'s init stream, drop path from its step stream.</summary>
    public ResNet(ResNetOptions options, CellRandom random)
        : base(options.Arch)
    {
        Options = options;
        var (blocks, bottleneck) = options.Layout;
        conv1 = new MaskedConv2d("conv1", options.InChannels, 64, 7, 2, 3, Mask, random.Init);
        bn1 = new MaskedBatchNorm2d("bn1", 64, Mask, options.BatchNormSplits, splitsAsBlocks: options.ChannelsLast);
        var total = blocks.Sum();
        var index = 0;
        long channels = 64;
        var layers = new Sequential[4];
        for (var stage = 0; stage < 4; stage++)
        {
            var width = 64L << stage;
            var stageBlocks = new List<(string, Module<Tensor, Tensor>)>();
            for (var b = 0; b < blocks[stage]; b++)
            {
                var rate = total > 1 ? options.DropPathRate * index / (total - 1) : options.DropPathRate;
                var block = new ResidualBlock($"{b}", options, channels, width, stage > 0 && b == 0 ? 2 : 1, rate, Mask, random);
                channels = block.OutChannels;
                stageBlocks.Add(($"{b}", block));
                index++;
            }

            layers[stage] = Sequential(stageBlocks);
        }

        (layer1, layer2, layer3, layer4) = (layers[0], layers[1], layers[2], layers[3]);
        StageChannels = bottleneck ? [256, 512, 1024, 2048] : [64, 128, 256, 512];
        RegisterComponents();
    }

    public ResNetOptions Options { get; }

    /// <summary>The sparse mask shared by every layer; dense while none is in use.</summary>
    public SparseMask Mask { get; } = new();

    /// <summary>Channels of layer1 … layer4.</summary>
    public IReadOnlyList<long> StageChannels { get; }

    /// <summary>Width of the pooled feature vector: 512 (ResNet18) or 2048 (ResNet50).</summary>
    public long FeatureDim => StageChannels[^1];

    /// <summary>Total stride of the last stage: SparK's patch size and the input's required divisor.</summary>
    public const int Downsampling = 32;

    /// <summary>Pooled features (B, FeatureDim).</summary>
    public override Tensor forward(Tensor input)
    {
        if (!OrdersBatchBySplit)
        {
            return Pool(Trunk(input, allStages: false)[^1]);
        }

        // Pooled, the features are small: restoring their order costs nothing beside the trunk's stage outputs.
        var (splitMajor, original) = SplitOrders(input.shape[0], input.device);
        return Pool(Trunk(input.index_select(0, splitMajor), allStages: false)[^1]).index_select(0, original);
    }

    /// <summary>
    /// <paramref name="batch"/> (N, C, H, W) with its values laid out N, H, W, C in memory: libtorch's channels-last
    /// format, which it reads from the strides and keeps through convolutions, batch norm and pointwise ops. On the
    /// CPU oneDNN then convolves NHWC without reordering every input and output to its blocked layout and back
    /// (a ResNet-50 BYOL step at 224 px spent a quarter of its oneDNN time on those reorders).
    /// </summary>
    /// <remarks>TorchSharp 0.107 has no <c>contiguous(memory_format)</c>; a permuted copy, permuted back, is the same tensor.</remarks>
    public static Tensor ChannelsLast(Tensor batch) => batch.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    /// <summary>The outputs of layer1 … layer4: strides 4, 8, 16 and 32. Under a mask the input's masked pixels are zeroed first (SparK's x ⊙ active).</summary>
    public Tensor[] Stages(Tensor input)
    {
        if (!OrdersBatchBySplit)
        {
            return Trunk(input, allStages: true);
        }

        var (splitMajor, original) = SplitOrders(input.shape[0], input.device);
        // Restored as (N, H, W, C), so the outputs stay channels-last.
        return [.. Trunk(input.index_select(0, splitMajor), allStages: true).Select(stage => stage.permute(0, 2, 3, 1).index_select(0, original).permute(0, 3, 1, 2))];
    }

    /// <summary>
    /// Channels-last, a split BN normalises each sub-batch as a block of the batch (<see cref="MaskedBatchNorm2d"/>); while
    /// training, the trunk therefore runs on the batch reordered so that block g holds sub-batch g, samples g, g + G, ….
    /// Convolutions, pooling and ReLU treat every sample alike, so only the order of the outputs changes, and it is restored.
    /// </summary>
    private bool OrdersBatchBySplit => training && Options.ChannelsLast && Options.BatchNormSplits > 1;

    /// <summary>The split-major order of a batch of <paramref name="count"/> (g·N/G + i holds sample i·G + g) and its inverse.</summary>
    private (Tensor SplitMajor, Tensor Original) SplitOrders(long count, Device device)
    {
        var splits = Options.BatchNormSplits;
        // Checked here too: the view below would otherwise fail first, with libtorch's message.
        MaskedBatchNorm2d.RequireEqualSplits(count, splits);

        return (arange(count, dtype: ScalarType.Int64, device: device).view(count / splits, splits).t().reshape(count),
            arange(count, dtype: ScalarType.Int64, device: device).view(splits, count / splits).t().reshape(count));
    }

    private static Tensor Pool(Tensor lastStage) => functional.adaptive_avg_pool2d(lastStage, 1).flatten(1);

    /// <summary>
    /// The four stage outputs, or only the last one's when <paramref name="allStages"/> is false. Everything else made on
    /// the way goes as soon as the next layer has read it, as Python's reference counting frees it in PyTorch: autograd
    /// keeps natively what backward needs, and under no_grad (a momentum encoder) nothing needs it, yet each block's output
    /// would otherwise live until the training step's scope ends.
    /// </summary>
    private Tensor[] Trunk(Tensor input, bool allStages)
    {
        using var scope = NewDisposeScope();
        var stages = new List<Tensor>(4);
        var x = input;
        Tensor Advance(Tensor next)
        {
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, next) && !stages.Contains(x))
            {
                x.Dispose();
            }

            return next;
        }

        if (Mask.Active is not null)
        {
            x = Advance(x * Mask.At(x.shape[2], x.shape[3]));
        }

        if (Options.ChannelsLast)
        {
            x = Advance(ChannelsLast(x));
        }

        x = Advance(conv1.forward(x));
        x = Advance(bn1.forward(x).relu_());
        x = Advance(functional.max_pool2d(x, 3, stride: 2, padding: 1));
        if (Mask.Active is not null)
        {
            x = Advance(x * Mask.At(x.shape[2], x.shape[3]));
        }

        foreach (var layer in new[] { layer1, layer2, layer3, layer4 })
        {
            foreach (var block in layer.children().Cast<Module<Tensor, Tensor>>())
            {
                x = Advance(block.forward(x));
            }

            if (allStages || layer == layer4)
            {
                stages.Add(x);
            }
        }

        return [.. stages.Select(scope.MoveToOuter)];
    }
}
