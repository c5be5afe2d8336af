using static TorchSharp.torch;

namespace Reproduce.Learning.Augmentations;

/// <summary>
/// Turns a step's gray images into one batch per view. Every (sample, view) pair draws from its own
/// stream, <see cref="SampleRandom.ForView"/>(step seed, sample, view), so the batches are the same
/// whatever the number of threads and whichever thread computes which sample. With <c>batchedOn</c> set, the step's
/// images go to that device once and each view is built there by <see cref="BatchedViews"/>, as whole-batch ops where
/// they give the same bytes as the per-image path; on the CPU the two paths give identical batches.
/// </summary>
public sealed class ViewBatcher
{
    public ViewBatcher(IReadOnlyList<ViewPipeline> views, int degreeOfParallelism, Device? batchedOn = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(views.Count, nameof(views));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(degreeOfParallelism);
        Views = [.. views];
        DegreeOfParallelism = degreeOfParallelism;
        BatchedOn = batchedOn;
    }

    public IReadOnlyList<ViewPipeline> Views { get; }

    /// <summary>How many samples are augmented at once (the per-image path).</summary>
    public int DegreeOfParallelism { get; }

    /// <summary>The device the views are built on as batched ops, or null for the per-image path on the CPU.</summary>
    public Device? BatchedOn { get; }

    /// <summary>
    /// One float32 batch (B, C, S_v, S_v) per view, in the order of <see cref="Views"/>, in the
    /// caller's dispose scope. <paramref name="images"/> are stored gray slices (1, H, W), uint8; each becomes
    /// [0, 1] (<see cref="ToTensor"/>) on the thread that augments it, right before its views read it from that
    /// core's cache. The batched path sends the bytes to the device and scales them there.
    /// </summary>
    public Tensor[] Build(IReadOnlyList<Tensor> images, long stepSeed)
    {
        ArgumentOutOfRangeException.ThrowIfZero(images.Count, nameof(images));
        if (images.FirstOrDefault(image => image.dtype != ScalarType.Byte) is { } other)
        {
            throw new ArgumentException($"the view batcher takes stored uint8 images, got {other.dtype}", nameof(images));
        }

        if (BatchedOn is { } device)
        {
            using var scope = NewDisposeScope();
            var batch = ToTensor.FromBytes(stack(images).to(device));
            return [.. Views.Select((view, index) => BatchedViews.Apply(view, batch, [.. images.Select((_, sample) => SampleRandom.ForView(stepSeed, sample, index))])
                .MoveToOuterDisposeScope())];
        }

        var batches = Views
            .Select(view => empty([images.Count, view.OutputChannels, view.OutputSize, view.OutputSize], dtype: ScalarType.Float32))
            .ToArray();
        var options = new ParallelOptions { MaxDegreeOfParallelism = DegreeOfParallelism };
        Parallel.For(0, images.Count, options, sample =>
        {
            // Dispose scopes are per thread: each sample gets its own, on whichever thread runs it.
            using var scope = NewDisposeScope();
            var gray = ToTensor.FromBytes(images[sample]);
            for (var view = 0; view < Views.Count; view++)
            {
                // Samples write disjoint rows of the shared batch, so no lock is needed.
                Views[view].ApplyInto(gray, SampleRandom.ForView(stepSeed, sample, view), batches[view][sample]);
            }
        });
        return batches;
    }
}
