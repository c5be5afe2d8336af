using Reproduce.Core.Randomness;
using Reproduce.Learning.Augmentations;
using static TorchSharp.torch;

namespace Reproduce.Learning.Pretraining;

/// <summary>
/// Augments the next steps' batches on <c>workers</c> background threads while the current step trains. Workers claim
/// steps in order and hand them over in order; no worker runs more than <c>depth</c> steps ahead of the consumer, so
/// memory stays at a few batches. Each step's views are a function of (seed, step) alone (<see cref="StepSeed"/>), so
/// neither prefetching nor the number of workers changes any result, and a resumed run starts at the resumed step. The
/// consumer owns (and disposes) the tensors it takes.
/// </summary>
public sealed class ViewPrefetcher : IDisposable
{
    // A monitor, not a System.Threading.Lock: the workers and the consumer wait on it.
    private readonly object gate = new();
    private readonly Dictionary<long, Tensor[]> done = [];
    private readonly Task[] producers;
    private readonly PretrainImages images;
    private readonly EpochPlan plan;
    private readonly ViewBatcher views;
    private readonly long seed;
    private readonly int depth;
    private long nextToClaim;
    private long nextToTake;
    private long failedStep = long.MaxValue;
    private Exception? failure;
    private bool stopped;

    public ViewPrefetcher(PretrainImages images, EpochPlan plan, ViewBatcher views, long seed, long firstStep, int depth = 2, int workers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        (this.images, this.plan, this.views, this.seed) = (images, plan, views, seed);
        // At least one step ahead per worker, so every worker has work.
        this.depth = Math.Max(depth, workers);
        nextToClaim = nextToTake = firstStep;
        producers = [.. Enumerable.Range(0, workers).Select(_ => Task.Factory.StartNew(
            Produce,
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default))];
    }

    /// <summary>The seed of one step's augmentations.</summary>
    public static long StepSeed(long seed, long step) => (long)(SplitMix64.For(seed, $"views/step {step}").NextUInt64() >> 1);

    /// <summary>The next step's views; rethrows what stopped a worker once every earlier step has been taken.</summary>
    public Tensor[] Take(CancellationToken cancellationToken)
    {
        using var wake = cancellationToken.Register(Wake);
        lock (gate)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (done.Remove(nextToTake, out var batch))
                {
                    nextToTake++;
                    Monitor.PulseAll(gate);
                    return batch;
                }

                if (failure is not null && nextToTake >= failedStep)
                {
                    throw new InvalidOperationException($"preparing a batch failed: {failure.Message}", failure);
                }

                if (nextToTake >= plan.TotalSteps)
                {
                    throw new InvalidOperationException($"no step after {plan.TotalSteps - 1} to take");
                }

                Monitor.Wait(gate);
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            stopped = true;
            Monitor.PulseAll(gate);
        }

        Task.WaitAll(producers);
        foreach (var batch in done.Values)
        {
            Release(batch);
        }

        done.Clear();
    }

    private void Wake()
    {
        lock (gate)
        {
            Monitor.PulseAll(gate);
        }
    }

    private void Produce()
    {
        using var buffer = new GrayBuffer();
        while (true)
        {
            long step;
            int[] positions;
            lock (gate)
            {
                while (!stopped && failure is null && nextToClaim < plan.TotalSteps && nextToClaim >= nextToTake + depth)
                {
                    Monitor.Wait(gate);
                }

                if (stopped || failure is not null || nextToClaim >= plan.TotalSteps)
                {
                    return;
                }

                step = nextToClaim++;
                // The plan caches one epoch's order and is not thread-safe.
                positions = plan.Batch(step);
            }

            Tensor[] batch;
            try
            {
                batch = Build(positions, step, buffer);
            }
            catch (Exception e)
            {
                lock (gate)
                {
                    // The batcher augments on Parallel.For, which wraps what a sample threw.
                    var cause = e is AggregateException { InnerExceptions.Count: 1 } wrapped ? wrapped.InnerException! : e;
                    if (step < failedStep)
                    {
                        (failure, failedStep) = (cause, step);
                    }

                    Monitor.PulseAll(gate);
                }

                return;
            }

            lock (gate)
            {
                if (stopped)
                {
                    Release(batch);
                    return;
                }

                done[step] = batch;
                Monitor.PulseAll(gate);
            }
        }
    }

    private Tensor[] Build(int[] positions, long step, GrayBuffer buffer)
    {
        // Views of the worker's buffer: the batcher's views never alias their input, so it is free again after Build.
        var grays = images.Bytes(positions, buffer);
        try
        {
            return views.Build(grays, StepSeed(seed, step));
        }
        finally
        {
            Release(grays);
        }
    }

    private static void Release(Tensor[] tensors)
    {
        foreach (var tensor in tensors)
        {
            tensor.Dispose();
        }
    }
}
