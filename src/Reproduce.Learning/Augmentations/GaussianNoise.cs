using static TorchSharp.torch;

namespace Reproduce.Learning.Augmentations;

/// <summary>
/// The authors' <c>GaussNoise</c> of the MoCo/BYOL CT pipeline (PROTOCOL.md §5), its probability
/// left to <see cref="RandomApply"/>: the variance is drawn log-uniformly in
/// [<see cref="MinVariance"/>, <see cref="MaxVariance"/>] (their <c>var_limit</c> is stored as
/// logarithms), zero-mean noise of that variance is added to every value independently, and the
/// result is clamped to [0, 1].
/// </summary>
public sealed class GaussianNoise : IImageTransform
{
    public GaussianNoise(double minVariance, double maxVariance)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minVariance);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxVariance, minVariance);
        MinVariance = minVariance;
        MaxVariance = maxVariance;
    }

    public double MinVariance { get; }

    public double MaxVariance { get; }

    public Tensor Apply(Tensor image, SampleRandom random)
    {
        var variance = Math.Exp(random.Uniform(Math.Log(MinVariance), Math.Log(MaxVariance)));
        using var generator = random.NextTorchGenerator();
        using var scope = NewDisposeScope();
        // Drawn on the CPU, whatever the image's device: the same noise everywhere.
        var noise = randn(image.shape, dtype: ScalarType.Float32, generator: generator).to(image.device);
        return image.add(noise, alpha: Math.Sqrt(variance)).clamp_(0.0, 1.0).MoveToOuterDisposeScope();
    }
}
