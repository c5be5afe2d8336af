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
        var view = empty([OutputChannels, OutputSize, OutputSize], dtype: ScalarType.Float32, device: image.device);
        ApplyInto(image, random, view);
        return view;
    }

    /// <summary>
    /// Writes the view of <paramref name="image"/> into <paramref name="destination"/> (C, S, S), a batch's row for
    /// instance. A closing <see cref="Normalize"/> writes there directly, which spares the view a tensor of its own
    /// and a copy.
    /// </summary>
    public void ApplyInto(Tensor image, SampleRandom random, Tensor destination)
    {
        using var scope = NewDisposeScope();
        var closing = Transforms.Count > 0 ? Transforms[^1] as Normalize : null;
        var view = Transforms.Take(closing is null ? Transforms.Count : Transforms.Count - 1)
            .Aggregate(image, (current, transform) => transform.Apply(current, random));
        long[] expected = [OutputChannels, OutputSize, OutputSize];
        if (!view.shape.SequenceEqual(expected))
        {
            throw new InvalidOperationException(
                $"view '{Name}' produced shape ({string.Join(", ", view.shape)}) instead of ({string.Join(", ", expected)})");
        }

        if (closing is null)
        {
            destination.copy_(view);
        }
        else
        {
            closing.ApplyInto(view, destination);
        }
    }
}
