using Reproduce.Core.Randomness;
using TorchSharp;

namespace Reproduce.Learning.Augmentations;

/// <summary>
/// The random stream of one view of one sample. Every augmentation draws from it and never from
/// torch's global generator, so a view depends only on its seed: not on the batch it is in, the
/// thread that computes it or the other views (DESIGN.md §6, determinism).
/// </summary>
public sealed class SampleRandom
{
    private readonly SplitMix64 generator;

    public SampleRandom(ulong seed)
    {
        generator = new SplitMix64(seed);
    }

    /// <summary>The stream of view <paramref name="view"/> of image <paramref name="sample"/> of the step seeded <paramref name="stepSeed"/>.</summary>
    public static SampleRandom ForView(long stepSeed, int sample, int view) =>
        new(SplitMix64.For(stepSeed, $"augmentation/sample {sample}/view {view}").NextUInt64());

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => generator.NextDouble();

    /// <summary>A uniform double in [<paramref name="low"/>, <paramref name="high"/>) (exactly <paramref name="low"/> when the two are equal).</summary>
    public double Uniform(double low, double high) => low + ((high - low) * generator.NextDouble());

    /// <summary>A uniform integer in [<paramref name="low"/>, <paramref name="high"/>], both ends included like torchvision's <c>randint(low, high + 1)</c>.</summary>
    public int Integer(int low, int high)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(high, low);
        return low + generator.NextInt(high - low + 1);
    }

    /// <summary>True with probability <paramref name="probability"/>; always consumes one draw, so later draws do not depend on it.</summary>
    public bool Chance(double probability) => generator.NextDouble() < probability;

    /// <summary>
    /// A torch generator seeded from this stream, for whole-tensor draws (noise) that would be
    /// slow one value at a time in managed code. The caller disposes it.
    /// </summary>
    public torch.Generator NextTorchGenerator() => new(generator.NextUInt64());
}
