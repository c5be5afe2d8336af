namespace Reproduce.Core.Manifests;

/// <summary>Pre-training settings shared by every method, and each method's own hyper-parameters.</summary>
public sealed record PretrainSpec
{
    public required string Dataset { get; init; }

    public required string Arch { get; init; }

    /// <summary>The side of the global crops in pixels; SwAV's small crops scale with it.</summary>
    public required int ImageSize { get; init; }

    /// <summary>Training steps between checkpoints; does not change results, so not part of any key.</summary>
    public required int CheckpointEvery { get; init; }

    /// <summary>
    /// Build each step's views on the training device as batched ops (<c>views_on_device</c>) instead of image by image
    /// on the CPU. On the CPU both give the same bytes; on a GPU the views follow its arithmetic, so the setting enters
    /// the pretrain cells' keys, and only when true: manifests without it keep their keys.
    /// </summary>
    public bool ViewsOnDevice { get; init; }

    /// <summary>
    /// Lay the trunk's activations out channels-last (<c>memory_format: channels_last</c>) instead of contiguous NCHW.
    /// Faster on the CPU for some methods, slower for others (docs/METHODS.md); the arithmetic's order changes with it,
    /// so it enters the pretrain cells' keys, and only when set: manifests without it keep their keys.
    /// </summary>
    public bool ChannelsLast { get; init; }

    public required IReadOnlyDictionary<string, MethodSpec> Methods { get; init; }
}
