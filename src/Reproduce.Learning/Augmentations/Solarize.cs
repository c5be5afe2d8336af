using static TorchSharp.torch;

namespace Reproduce.Learning.Augmentations;

/// <summary>
/// BYOL's solarisation on [0, 1] images: x if x &lt; 0.5, else 1 − x (METHODS.md §0.4; PIL's
/// <c>ImageOps.solarize</c> at threshold 128).
/// </summary>
public sealed class Solarize : IImageTransform
{
    private const double Threshold = 0.5;

    public Tensor Apply(Tensor image, SampleRandom random)
    {
        using var scope = NewDisposeScope();
        return where(image.lt(Threshold), image, image.neg().add_(1.0)).MoveToOuterDisposeScope();
    }
}
