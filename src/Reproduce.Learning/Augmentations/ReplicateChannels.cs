using static TorchSharp.torch;

namespace Reproduce.Learning.Augmentations;

/// <summary>
/// Repeats a one-channel gray image to <see cref="Channels"/> channels: the network input is gray
/// replicated to 3 channels (DESIGN.md §7 "Images") or left at 1 (METHODS.md §0.3). The result is a broadcast view,
/// not a copy: the transform after it (normalisation) writes the channels out once, as a new tensor.
/// </summary>
public sealed class ReplicateChannels : IImageTransform
{
    public ReplicateChannels(int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Channels = channels;
    }

    public int Channels { get; }

    public Tensor Apply(Tensor image, SampleRandom random)
    {
        if (image.shape[0] != 1)
        {
            throw new ArgumentException($"expected a one-channel image, got shape ({string.Join(", ", image.shape)})", nameof(image));
        }

        return Channels == 1 ? image : image.expand(Channels, -1, -1);
    }
}
