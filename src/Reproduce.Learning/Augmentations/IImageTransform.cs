using static TorchSharp.torch;

namespace Reproduce.Learning.Augmentations;

/// <summary>
/// One per-sample augmentation step on a float32 image (C, H, W) with values in [0, 1] until
/// normalisation. An implementation draws its random numbers from <paramref name="random"/> only,
/// never modifies its input in place, and may return the input itself when it leaves it unchanged.
/// </summary>
public interface IImageTransform
{
    Tensor Apply(Tensor image, SampleRandom random);
}
