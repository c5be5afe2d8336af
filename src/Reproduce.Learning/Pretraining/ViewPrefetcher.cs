using System.Collections.Concurrent;
using Reproduce.Core.Randomness;
using Reproduce.Learning.Augmentations;
using static TorchSharp.torch;

namespace Reproduce.Learning.Pretraining;

/// <summary>
/// Augments the next steps' batches on a background thread while the current step trains: a bounded
/// queue of <c>depth</c> batches, so memory stays at a few batches. Each step's views are a function of
/// (seed, step) alone (<see cref="StepSeed"/>), so prefetching changes no result and a resumed run
/// starts its queue at the resumed step. The consumer owns (and disposes) the tensors it takes.
/// </summary>
public sealed class ViewPrefetcher : IDisposable
{
    private readonly BlockingCollection<Tensor[]> ready;
    private readonly CancellationTokenSource stop = new();
    private readonly Task producer;
    private Exception? failure;

    public ViewPrefetcher(PretrainImages images, EpochPlan plan, ViewBatcher views, long seed, long firstStep, int depth = 2)
    {
        ready = new BlockingCollection<Tensor[]>(depth);
        producer = Task.Factory.StartNew(
            () => Produce(images, plan, views, seed, firstStep),
            stop.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>The seed of one step's augmentations.</summary>
    public static long StepSeed(long seed, long step) => (long)(SplitMix64.For(seed, $"views/step {step}").NextUInt64() >> 1);

    /// <summary>The next step's views; rethrows what stopped the producer.</summary>
    public Tensor[] Take(CancellationToken cancellationToken)
    {
        try
        {
            return ready.Take(cancellationToken);
        }
        catch (InvalidOperationException) when (failure is not null)
        {
            throw new InvalidOperationException($"preparing a batch failed: {failure.Message}", failure);
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        try
        {
            producer.Wait();
        }
        catch (AggregateException)
        {
            // Cancellation or a failure already reported through Take.
        }

        foreach (var batch in ready)
        {
            Release(batch);
        }

        ready.Dispose();
        stop.Dispose();
    }

    private void Produce(PretrainImages images, EpochPlan plan, ViewBatcher views, long seed, long firstStep)
    {
        try
        {
            for (var step = firstStep; step < plan.TotalSteps; step++)
            {
                var grays = plan.Batch(step).Select(images.Gray).ToArray();
                Tensor[] batch;
                try
                {
                    batch = views.Build(grays, StepSeed(seed, step));
                }
                finally
                {
                    Release(grays);
                }

                try
                {
                    ready.Add(batch, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    Release(batch);
                    return;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The batcher augments on Parallel.For, which wraps what a sample threw.
            failure = e is AggregateException { InnerExceptions.Count: 1 } wrapped ? wrapped.InnerException! : e;
        }
        finally
        {
            ready.CompleteAdding();
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
