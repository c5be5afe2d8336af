using Reproduce.Core.Manifests;
using Reproduce.Core.Randomness;
using Reproduce.Learning.Augmentations;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Reproduce.Learning.Finetuning;

/// <summary>
/// The per-task input pipeline (PROTOCOL.md §6) on a uint8 (B, 1, H, W) batch: scale to [0, 1], replicate gray to
/// 3 channels, normalise per channel with the task's mean and std, resize to the input size (bilinear when
/// enlarging, as torchvision's Resize for OrganSMNIST's 28 → 224; area when shrinking, as MONAI's default), and
/// for training flip each image with probability 0.5 along the task's axis. Normalising before or after the
/// resize gives the same result: both resizes are convex combinations of pixels.
/// </summary>
public sealed class FinetuneInput(TaskSpec task, int inputSize) : IDisposable
{
    private readonly Tensor mean = PerChannel(task.Mean);
    private readonly Tensor std = PerChannel(task.Std);

    public void Dispose()
    {
        mean.Dispose();
        std.Dispose();
    }

    public Tensor Prepare(Tensor pixels, SplitMix64? flips, Device device)
    {
        var images = ToTensor.FromBytes(pixels.to(device)).expand(-1, 3, -1, -1);
        images = (images - mean.to(device)) / std.to(device);
        var size = inputSize;
        if (images.shape[2] != size || images.shape[3] != size)
        {
            images = images.shape[2] < size
                ? functional.interpolate(images, [size, size], mode: InterpolationMode.Bilinear, align_corners: false)
                : functional.interpolate(images, [size, size], mode: InterpolationMode.Area);
        }

        return flips is null || task.Flip == "none" ? images : Flip(images, flips, device);
    }

    private Tensor Flip(Tensor images, SplitMix64 flips, Device device)
    {
        var chosen = Enumerable.Range(0, (int)images.shape[0]).Where(_ => flips.NextDouble() < 0.5).Select(i => (long)i).ToArray();
        if (chosen.Length == 0)
        {
            return images;
        }

        // vertical = up–down (MONAI RandFlip(spatial_axis=0) on the image's rows); horizontal = left–right.
        var axis = task.Flip == "vertical" ? 2L : 3L;
        var index = tensor(chosen, device: device);
        return images.index_copy(0, index, images.index_select(0, index).flip(axis));
    }

    /// <summary>A (1, C, 1, 1) tensor of the values, made in one piece: a view of a temporary would leave the temporary to the finalizer.</summary>
    private static Tensor PerChannel(IReadOnlyList<double> values) =>
        tensor(values.Select(v => (float)v).ToArray(), [1, values.Count, 1, 1]).DetachFromDisposeScope();
}
