using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Augmentations;

/// <summary>
/// Gaussian blur with σ ~ U[<see cref="MinSigma"/>, <see cref="MaxSigma"/>]. The references blur
/// with PIL's box approximation (MoCo, SwAV, the authors) or a 23-tap zero-padded kernel (BYOL); a
/// separable Gaussian of radius ⌈3σ⌉ with reflect padding is the accepted equivalent
/// (METHODS.md §0.4). It is torchvision's <c>gaussian_blur</c> with <c>kernel_size</c> 2⌈3σ⌉ + 1.
/// </summary>
public sealed class GaussianBlur : IImageTransform
{
    public GaussianBlur(double minSigma, double maxSigma)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minSigma);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSigma, minSigma);
        MinSigma = minSigma;
        MaxSigma = maxSigma;
    }

    public double MinSigma { get; }

    public double MaxSigma { get; }

    public Tensor Apply(Tensor image, SampleRandom random) => Blur(image, random.Uniform(MinSigma, MaxSigma));

    /// <summary>Blurs a (C, H, W) image of at least 2 × 2 pixels with a Gaussian of standard deviation <paramref name="sigma"/> pixels.</summary>
    public static Tensor Blur(Tensor image, double sigma)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigma);
        var height = image.shape[^2];
        var width = image.shape[^1];
        // Reflect padding needs a pad shorter than the side it mirrors.
        var radius = (long)Math.Min(Math.Max(1, Math.Ceiling(3 * sigma)), Math.Min(height, width) - 1);
        var weights = Kernel(sigma, radius);

        using var scope = NewDisposeScope();
        var padded = nn.functional.pad(image.unsqueeze(0), [radius, radius, radius, radius], PaddingModes.Reflect).squeeze(0);
        var blurred = Convolve(Convolve(padded, weights, -1, width), weights, -2, height);
        return blurred.MoveToOuterDisposeScope();
    }

    /// <summary>The normalised taps exp(−i² / 2σ²), i = −radius … radius.</summary>
    private static double[] Kernel(double sigma, long radius)
    {
        var taps = new double[(2 * radius) + 1];
        for (var i = 0; i < taps.Length; i++)
        {
            var offset = i - radius;
            taps[i] = Math.Exp(-(offset * offset) / (2 * sigma * sigma));
        }

        var total = taps.Sum();
        return [.. taps.Select(tap => tap / total)];
    }

    /// <summary>
    /// One 1-D pass as a sum of shifted copies: elementwise work only, so the result does not
    /// depend on how libtorch splits a convolution over its threads.
    /// </summary>
    private static Tensor Convolve(Tensor padded, double[] weights, long dimension, long length)
    {
        var sum = padded.narrow(dimension, 0, length).mul(weights[0]);
        for (var tap = 1; tap < weights.Length; tap++)
        {
            sum.add_(padded.narrow(dimension, tap, length), alpha: weights[tap]);
        }

        return sum;
    }
}
