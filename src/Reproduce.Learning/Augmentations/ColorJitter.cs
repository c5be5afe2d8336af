using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Reproduce.Learning.Augmentations;

/// <summary>
/// torchvision's ColorJitter(b, c, s, h) on a gray image (METHODS.md §0.4): saturation blends
/// with the image's own grayscale and hue rotates a colour that has none, so on gray both are the
/// identity and only brightness and contrast act. They act in a random order (the relative order
/// of two ops in a uniform permutation of four), each clamped to [0, 1]. Saturation and hue are
/// kept as parameters so pipelines read like the references, and validated as torchvision does.
/// </summary>
public sealed class ColorJitter : IImageTransform
{
    public ColorJitter(double brightness, double contrast, double saturation, double hue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(brightness);
        ArgumentOutOfRangeException.ThrowIfNegative(contrast);
        ArgumentOutOfRangeException.ThrowIfNegative(saturation);
        ArgumentOutOfRangeException.ThrowIfNegative(hue);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hue, 0.5);
        Brightness = brightness;
        Contrast = contrast;
        Saturation = saturation;
        Hue = hue;
    }

    public double Brightness { get; }

    public double Contrast { get; }

    public double Saturation { get; }

    public double Hue { get; }

    public Tensor Apply(Tensor image, SampleRandom random) => Apply(image, Sample(random));

    /// <summary>
    /// Draws, in order: whether brightness goes first, the brightness factor
    /// U[max(0, 1 − b), 1 + b] (only if b &gt; 0), the contrast factor likewise (only if c &gt; 0).
    /// </summary>
    public ColorJitterFactors Sample(SampleRandom random)
    {
        var brightnessFirst = random.Chance(0.5);
        double? brightnessFactor = Brightness > 0 ? random.Uniform(Math.Max(0, 1 - Brightness), 1 + Brightness) : null;
        double? contrastFactor = Contrast > 0 ? random.Uniform(Math.Max(0, 1 - Contrast), 1 + Contrast) : null;
        return new ColorJitterFactors(brightnessFirst, brightnessFactor, contrastFactor);
    }

    /// <summary>
    /// The jitter of <paramref name="image"/> with given <paramref name="factors"/> (what torchvision's
    /// <c>ColorJitter.forward</c> does after <c>get_params</c>); the image itself when no factor is set.
    /// </summary>
    public static Tensor Apply(Tensor image, ColorJitterFactors factors)
    {
        Tensor WithBrightness(Tensor x) => factors.Brightness is { } factor ? AdjustBrightness(x, factor) : x;
        Tensor WithContrast(Tensor x) => factors.Contrast is { } factor ? AdjustContrast(x, factor) : x;

        using var scope = NewDisposeScope();
        var result = factors.BrightnessFirst ? WithContrast(WithBrightness(image)) : WithBrightness(WithContrast(image));
        return ReferenceEquals(result, image) ? image : result.MoveToOuterDisposeScope();
    }

    /// <summary>torchvision <c>adjust_brightness</c>: x · factor, clamped to [0, 1].</summary>
    public static Tensor AdjustBrightness(Tensor image, double factor) => image.mul(factor).clamp_(0.0, 1.0);

    /// <summary>
    /// torchvision <c>adjust_contrast</c>: factor · x + (1 − factor) · mean, clamped to [0, 1], where
    /// the mean is over the whole (gray) image.
    /// </summary>
    public static Tensor AdjustContrast(Tensor image, double factor) =>
        image.mul(factor).add_(ManagedMean(image) * (1 - factor)).clamp_(0.0, 1.0);

    /// <summary>
    /// The image mean, summed in managed code in a fixed order: libtorch splits a large reduction
    /// into as many parts as the calling thread's OpenMP team has, which differs between the
    /// caller's thread and pool threads and would make a view depend on scheduling.
    /// </summary>
    internal static double ManagedMean(Tensor image)
    {
        using var contiguous = image.contiguous();
        // Read in place: no managed copy of the image.
        var values = MemoryMarshal.Cast<byte, float>(contiguous.bytes);
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum / values.Length;
    }
}
