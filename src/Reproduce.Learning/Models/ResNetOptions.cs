namespace Reproduce.Learning.Models;

/// <summary>
/// The trunk every method and fine-tuning share: <paramref name="Arch"/> <c>resnet18</c> or <c>resnet50</c>,
/// the input channels (3: gray replicated, DESIGN.md §7), timm's zero_init_last_bn, stochastic depth
/// (the rate of the last block; block i of n gets rate·i/(n − 1), as timm's make_blocks) and the number of
/// interleaved sub-batches every BN normalises over in training (MoCo's single-GPU shuffle-BN emulation,
/// METHODS.md §0.5, §3.3; 1 = plain BN).
/// <paramref name="ChannelsLast"/> lays the input out channels-last (NHWC) before the stem, so every convolution,
/// batch norm and activation after it runs on NHWC tensors (<see cref="ResNet.ChannelsLast"/>).
/// </summary>
public sealed record ResNetOptions(string Arch, int InChannels = 3, bool ZeroInitLastBn = false, double DropPathRate = 0, int BatchNormSplits = 1, bool ChannelsLast = false)
{
    public const string ResNet18 = "resnet18";
    public const string ResNet50 = "resnet50";

    /// <summary>Blocks per stage and whether they are bottlenecks.</summary>
    internal (int[] Blocks, bool Bottleneck) Layout => Arch switch
    {
        ResNet18 => ([2, 2, 2, 2], false),
        ResNet50 => ([3, 4, 6, 3], true),
        _ => throw new ArgumentException($"unknown architecture '{Arch}' (resnet18 or resnet50)"),
    };
}
