using static TorchSharp.torch;

namespace Reproduce.Learning.Augmentations;

/// <summary>
/// One view of a method: the transforms that turn a gray slice (1, H, W) in [0, 1] into a network
/// input (<see cref="OutputChannels"/>, <see cref="OutputSize"/>, <see cref="OutputSize"/>).
/// </summary>
public sealed class ViewPipeline
{
    public ViewPipeline(string name, int outputSize, int outputChannels, IReadOnlyList<IImageTransform> transforms)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputChannels);
        Name = name;
        OutputSize = outputSize;
        OutputChannels = outputChannels;
        Transforms = [.. transforms];
    }

    /// <summary>What the view is, for messages and logs (e.g. "byol view 1").</summary>
    public string Name { get; }

    public int OutputSize { get; }

    public int OutputChannels { get; }

    public IReadOnlyList<IImageTransform> Transforms { get; }

    /// <summary>The view of <paramref name="image"/>, a new tensor in the caller's dispose scope.</summary>
    public Tensor Apply(Tensor image, SampleRandom random)
    {
        using var scope = NewDisposeScope();
        var view = Transforms.Aggregate(image, (current, transform) => transform.Apply(current, random));
        long[] expected = [OutputChannels, OutputSize, OutputSize];
        if (!view.shape.SequenceEqual(expected))
        {
            throw new InvalidOperationException(
                $"view '{Name}' produced shape ({string.Join(", ", view.shape)}) instead of ({string.Join(", ", expected)})");
        }

        // Transforms may pass their input through; the caller must own what it gets either way.
        return (ReferenceEquals(view, image) ? image.clone() : view).MoveToOuterDisposeScope();
    }
}
