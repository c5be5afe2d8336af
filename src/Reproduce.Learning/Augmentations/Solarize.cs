using static TorchSharp.torch;

namespace Reproduce.Learning.Augmentations;

/// <summary>
/// Solarisation on [0, 1] images: x if x &lt; <see cref="Threshold"/>, else 1 − x, torchvision's <c>solarize</c>.
/// BYOL's threshold is 0.5 (METHODS.md §0.4); on 8-bit values v / 255 that is PIL's <c>ImageOps.solarize</c> at 128.
/// </summary>
public sealed class Solarize : IImageTransform
{
    /// <summary>BYOL's threshold.</summary>
    public const double ByolThreshold = 0.5;

    public Solarize(double threshold = ByolThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 1.0);
        Threshold = threshold;
    }

    public double Threshold { get; }

    public Tensor Apply(Tensor image, SampleRandom random)
    {
        using var scope = NewDisposeScope();
        return where(image.lt(Threshold), image, image.neg().add_(1.0)).MoveToOuterDisposeScope();
    }
}
