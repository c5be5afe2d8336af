using static TorchSharp.torch;

namespace Reproduce.Learning.Augmentations;

/// <summary>torchvision's RandomHorizontalFlip / RandomVerticalFlip: mirror the image with probability p.</summary>
public sealed class RandomFlip : IImageTransform
{
    private RandomFlip(long dimension, double probability)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(probability);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1.0);
        Dimension = dimension;
        Probability = probability;
    }

    /// <summary>The mirrored axis of a (C, H, W) image: −1 (width) or −2 (height).</summary>
    public long Dimension { get; }

    public double Probability { get; }

    /// <summary>Left–right mirror.</summary>
    public static RandomFlip Horizontal(double probability) => new(-1, probability);

    /// <summary>Up–down mirror.</summary>
    public static RandomFlip Vertical(double probability) => new(-2, probability);

    public Tensor Apply(Tensor image, SampleRandom random) =>
        random.Chance(Probability) ? image.flip([Dimension]) : image;
}
