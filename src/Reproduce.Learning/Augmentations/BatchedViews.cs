using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Augmentations;

/// <summary>
/// A view of a whole batch (B, 1, H, W) at once, on the batch's device: each sample draws from its own stream in the
/// order <see cref="ViewPipeline.Apply"/> draws, and each transform runs as one op over the samples it applies to
/// wherever that op gives every sample the bytes the per-image op gives (flips, brightness, contrast, solarisation,
/// replication, normalisation). Crops (one shape per sample), blur and noise (a per-sample scalar inside a fused
/// multiply-add) and rotation run per sample on the device. On the CPU the result is byte for byte the per-image
/// path's (<c>DeviceBatchedViewsEqualPerImageViewsByteForByte</c>); elsewhere, the contrast mean and the noise follow
/// the device's arithmetic and random numbers.
/// </summary>
public static class BatchedViews
{
    /// <summary>The view of every sample of <paramref name="batch"/>, sample i drawing from <paramref name="random"/>[i]; a new tensor.</summary>
    public static Tensor Apply(ViewPipeline view, Tensor batch, IReadOnlyList<SampleRandom> random)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(random.Count, (int)batch.shape[0], nameof(random));
        using var scope = NewDisposeScope();
        var result = view.Transforms.Aggregate(batch, (current, transform) => Transform(transform, current, random));
        long[] expected = [batch.shape[0], view.OutputChannels, view.OutputSize, view.OutputSize];
        if (!result.shape.SequenceEqual(expected))
        {
            throw new InvalidOperationException(
                $"view '{view.Name}' produced shape ({string.Join(", ", result.shape)}) instead of ({string.Join(", ", expected)})");
        }

        return (ReferenceEquals(result, batch) ? batch.clone() : result).MoveToOuterDisposeScope();
    }

    private static Tensor Transform(IImageTransform transform, Tensor batch, IReadOnlyList<SampleRandom> random) => transform switch
    {
        RandomApply apply => Some(batch, [.. random.Select(r => r.Chance(apply.Probability))], random, (part, drawn) => Transform(apply.Transform, part, drawn)),
        RandomFlip flip => Some(batch, [.. random.Select(r => r.Chance(flip.Probability))], random, (part, _) => part.flip([flip.Dimension])),
        RandomResizedCrop crop => stack(Enumerable.Range(0, random.Count).Select(i =>
            RandomResizedCrop.ResizedCrop(batch[i], crop.SampleBox((int)batch.shape[^2], (int)batch.shape[^1], random[i]), crop.Size, crop.Interpolation))),
        ColorJitter jitter => Jitter(jitter, batch, random),
        Solarize solarize => solarize.Apply(batch, random[0]),
        ReplicateChannels replicate when batch.shape[1] == 1 => replicate.Channels == 1 ? batch : batch.repeat(1, replicate.Channels, 1, 1),
        Normalize normalize when batch.shape[1] == normalize.Mean.Count => batch.sub(PerChannel(normalize.Mean, batch)).div_(PerChannel(normalize.Std, batch)),
        _ => stack(Enumerable.Range(0, random.Count).Select(i => transform.Apply(batch[i], random[i]))),
    };

    /// <summary>
    /// <see cref="ColorJitter"/> with each sample's draws: the samples that take brightness first, then those that take
    /// contrast first, each group as batched ops with per-sample factors (as float32, what a scalar factor becomes).
    /// </summary>
    private static Tensor Jitter(ColorJitter jitter, Tensor batch, IReadOnlyList<SampleRandom> random)
    {
        var draws = random.Select(jitter.Sample).ToArray();

        Tensor Brightness(Tensor part, int[] samples) => draws[0].Brightness is null ? part
            : part.mul(Factors(samples.Select(s => draws[s].Brightness!.Value), part)).clamp_(0.0, 1.0);

        Tensor Contrast(Tensor part, int[] samples)
        {
            if (draws[0].Contrast is null)
            {
                return part;
            }

            var means = SampleMeans(part);
            var factors = samples.Select(s => draws[s].Contrast!.Value).ToArray();
            return part.mul(Factors(factors, part)).add_(Factors(factors.Select((factor, i) => means[i] * (1 - factor)), part)).clamp_(0.0, 1.0);
        }

        var first = draws.Select(d => d.BrightnessFirst).ToArray();
        var once = Some(batch, first, random, (part, _) =>
        {
            var samples = Chosen(first);
            return Contrast(Brightness(part, samples), samples);
        });
        var other = first.Select(b => !b).ToArray();
        return Some(once, other, random, (part, _) =>
        {
            var samples = Chosen(other);
            return Brightness(Contrast(part, samples), samples);
        });
    }

    /// <summary>
    /// Each sample's mean as <see cref="ColorJitter"/> sums it: in double, in memory order. On another device, the
    /// device's float64 mean.
    /// </summary>
    private static double[] SampleMeans(Tensor part)
    {
        var samples = (int)part.shape[0];
        if (part.device_type != DeviceType.CPU)
        {
            using var means = part.to_type(ScalarType.Float64).reshape(samples, -1).mean([1]).cpu();
            return means.data<double>().ToArray();
        }

        using var contiguous = part.contiguous();
        var length = (int)(contiguous.numel() / samples);
        var values = MemoryMarshal.Cast<byte, float>(contiguous.bytes);
        var result = new double[samples];
        for (var sample = 0; sample < samples; sample++)
        {
            var sum = 0.0;
            foreach (var value in values.Slice(sample * length, length))
            {
                sum += value;
            }

            result[sample] = sum / length;
        }

        return result;
    }

    /// <summary>
    /// <paramref name="transform"/> on the samples whose <paramref name="chosen"/> is true, as one sub-batch; the others
    /// pass through. A new tensor unless no sample is chosen.
    /// </summary>
    private static Tensor Some(Tensor batch, bool[] chosen, IReadOnlyList<SampleRandom> random, Func<Tensor, IReadOnlyList<SampleRandom>, Tensor> transform)
    {
        var samples = Chosen(chosen);
        if (samples.Length == 0)
        {
            return batch;
        }

        if (samples.Length == chosen.Length)
        {
            return transform(batch, random);
        }

        var index = tensor(samples.Select(s => (long)s).ToArray(), device: batch.device);
        var part = transform(batch.index_select(0, index), [.. samples.Select(s => random[s])]);
        return batch.index_copy(0, index, part);
    }

    private static int[] Chosen(bool[] chosen) => [.. Enumerable.Range(0, chosen.Length).Where(i => chosen[i])];

    private static Tensor Factors(IEnumerable<double> values, Tensor like) =>
        tensor(values.Select(v => (float)v).ToArray(), device: like.device).reshape(-1, 1, 1, 1);

    private static Tensor PerChannel(IReadOnlyList<double> values, Tensor like) =>
        tensor(values.Select(v => (float)v).ToArray(), device: like.device).reshape(1, -1, 1, 1);
}
