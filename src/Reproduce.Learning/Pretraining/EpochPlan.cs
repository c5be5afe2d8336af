using Reproduce.Core.Errors;
using Reproduce.Core.Randomness;

namespace Reproduce.Learning.Pretraining;

/// <summary>
/// Which images every step of a pre-training run sees: each epoch is a fresh seeded permutation of
/// the whole set cut into full batches (the last, partial batch is dropped, as every reference's
/// loader does with drop_last). A pure function of (seed, step), so a resumed run sees exactly the
/// batches an uninterrupted one would, with nothing to checkpoint.
/// </summary>
public sealed class EpochPlan
{
    private readonly int count;
    private readonly long seed;
    private int cachedEpoch = -1;
    private int[] cachedOrder = [];

    public EpochPlan(int count, int batchSize, long epochs, long maxSteps, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (count < batchSize)
        {
            throw new UsageException($"the pre-training set has {count} images, fewer than one batch of {batchSize}: lower batch_size or add data");
        }

        this.count = count;
        this.seed = seed;
        BatchSize = batchSize;
        StepsPerEpoch = count / batchSize;
        TotalSteps = maxSteps > 0 ? maxSteps : epochs * StepsPerEpoch;
    }

    public int BatchSize { get; }

    public long StepsPerEpoch { get; }

    public long TotalSteps { get; }

    /// <summary>The store positions of step <paramref name="step"/>'s batch. Not thread-safe (one epoch's order is cached).</summary>
    public int[] Batch(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var epoch = (int)(step / StepsPerEpoch);
        if (epoch != cachedEpoch)
        {
            cachedOrder = Enumerable.Range(0, count).ToArray();
            SplitMix64.For(seed, $"pretrain-epoch-{epoch}").Shuffle(cachedOrder);
            cachedEpoch = epoch;
        }

        var start = (int)(step % StepsPerEpoch) * BatchSize;
        return cachedOrder[start..(start + BatchSize)];
    }
}
