using static TorchSharp.torch;

namespace Reproduce.Learning.Augmentations;

/// <summary>
/// torchvision's RandomApply: runs <see cref="Transform"/> with probability <see cref="Probability"/>.
/// The coin is drawn first, then whatever the transform draws, as in torchvision.
/// </summary>
public sealed class RandomApply : IImageTransform
{
    public RandomApply(IImageTransform transform, double probability)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(probability);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1.0);
        Transform = transform;
        Probability = probability;
    }

    public IImageTransform Transform { get; }

    public double Probability { get; }

    public Tensor Apply(Tensor image, SampleRandom random) =>
        random.Chance(Probability) ? Transform.Apply(image, random) : image;
}
