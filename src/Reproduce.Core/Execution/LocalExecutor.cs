using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Reproduce.Core.Cache;
using Reproduce.Core.Keys;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;

namespace Reproduce.Core.Execution;

/// <summary>
/// Runs a plan on this machine: every cell after its upstream cells, independent cells in parallel up to
/// <see cref="RunSettings.Workers"/>. Cells of stages that use TorchSharp run in a process of their own when an
/// <paramref name="ownProcessRunner"/> is given (the parent then holds no torch state, and a cell's memory goes
/// with its process); the others run here. Before a cell runs its spec is recorded in the cache, so the process
/// that computes it needs nothing but the key. A failed cell fails only its downstream cells; finished cells stay
/// published. Never assumes it is alone on the cache: each cell is computed under its lock, and a cell another
/// process published meanwhile is taken from the cache.
/// </summary>
public sealed class LocalExecutor(StageRegistry stages, CacheStore cache, Roots roots, RunSettings settings, IExecutionObserver observer, TimeProvider clock, JsonObject provenance, ICellRunner? ownProcessRunner = null) : IExecutor
{
    private static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(200);

    private readonly InProcessCellRunner inProcess = new(stages, cache, roots, settings, clock, provenance);

    public async Task<ExecutionReport> RunAsync(Plan plan, CancellationToken cancellationToken)
    {
        var workers = Math.Max(1, settings.Workers);
        using var slots = new SemaphoreSlim(workers);
        var freeWorkers = new ConcurrentStack<int>(Enumerable.Range(0, workers).Reverse());
        var running = new Dictionary<string, Task<CellOutcome>>();
        foreach (var entry in plan.Entries)
        {
            var upstream = entry.Cell.Upstream
                .Where(u => running.ContainsKey(u.Address.Text))
                .Select(u => running[u.Address.Text])
                .ToList();
            running[entry.Cell.Address.Text] = RunWhenReadyAsync(entry, plan, upstream, slots, freeWorkers, cancellationToken);
        }

        var outcomes = await Task.WhenAll(running.Values);
        return new ExecutionReport(outcomes);
    }

    private async Task<CellOutcome> RunWhenReadyAsync(PlanEntry entry, Plan plan, List<Task<CellOutcome>> upstream, SemaphoreSlim slots, ConcurrentStack<int> freeWorkers, CancellationToken cancellationToken)
    {
        var finished = await Task.WhenAll(upstream);
        var outcome = finished.Any(o => o.Kind is OutcomeKind.Failed or OutcomeKind.Skipped or OutcomeKind.Cancelled)
            ? new CellOutcome(entry, OutcomeKind.Skipped, TimeSpan.Zero)
            : entry.Status == CellStatus.Cached
                ? new CellOutcome(entry, OutcomeKind.Cached, TimeSpan.Zero)
                : await ComputeAsync(entry, plan, slots, freeWorkers, cancellationToken);
        observer.CellFinished(outcome);
        return outcome;
    }

    /// <summary>
    /// Takes a worker slot and runs the cell; its runner takes the cell's lock. A cell locked by another process gives
    /// its slot back while it waits, so this run works on other cells meanwhile. The cell's time starts when its
    /// runner holds the lock and finds it missing, not while it queued.
    /// </summary>
    private async Task<CellOutcome> ComputeAsync(PlanEntry entry, Plan plan, SemaphoreSlim slots, ConcurrentStack<int> freeWorkers, CancellationToken cancellationToken)
    {
        var spec = CellSpec.Of(entry.Cell, plan.Keys);
        cache.WriteSpec(spec);
        var runner = ownProcessRunner is not null && stages.Descriptor(spec.Stage).UsesTorch ? ownProcessRunner : inProcess;
        var announced = false;
        long? startedAt = null;
        TimeSpan Elapsed() => startedAt is { } timestamp ? clock.GetElapsedTime(timestamp) : TimeSpan.Zero;
        var elapsed = TimeSpan.Zero;
        try
        {
            while (true)
            {
                await slots.WaitAsync(cancellationToken);
                freeWorkers.TryPop(out var worker);
                CellRunResult result;
                try
                {
                    var run = new CellRun(spec, entry.Status == CellStatus.Forced, worker, () =>
                    {
                        startedAt = clock.GetTimestamp();
                        observer.CellStarted(entry);
                    }, observer.ProgressOf(entry));
                    // Off the caller's thread: stages are mostly synchronous, CPU-bound code.
                    try
                    {
                        result = await Task.Run(() => runner.RunAsync(run, cancellationToken), CancellationToken.None);
                    }
                    finally
                    {
                        // Read before the slot is given back: the next cell's time must not count as this one's.
                        elapsed = Elapsed();
                    }
                }
                finally
                {
                    freeWorkers.Push(worker);
                    slots.Release();
                }

                switch (result.Status)
                {
                    case CellRunStatus.Computed:
                        return new CellOutcome(entry, OutcomeKind.Computed, elapsed);
                    case CellRunStatus.Cached:
                        return new CellOutcome(entry, OutcomeKind.Cached, elapsed);
                }

                if (!announced)
                {
                    observer.WaitingForLock(entry, result.Holder);
                    announced = true;
                }

                await Task.Delay(LockPollInterval, clock, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new CellOutcome(entry, OutcomeKind.Cancelled, elapsed);
        }
        catch (Exception error)
        {
            return new CellOutcome(entry, OutcomeKind.Failed, elapsed, error);
        }
    }
}
