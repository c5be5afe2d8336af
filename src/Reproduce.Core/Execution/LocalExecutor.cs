using System.Text.Json.Nodes;
using Reproduce.Core.Cache;
using Reproduce.Core.Planning;

namespace Reproduce.Core.Execution;

/// <summary>
/// Runs a plan in this process: every cell after its upstream cells, independent cells in parallel
/// up to <see cref="RunSettings.Workers"/>. A failed cell fails only its downstream cells; finished
/// cells stay published. Never assumes it is alone on the cache: each cell is computed under its
/// lock, and a cell another process published meanwhile is taken from the cache.
/// </summary>
public sealed class LocalExecutor
{
    private static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(200);

    private readonly StageRegistry stages;
    private readonly CacheStore cache;
    private readonly Roots roots;
    private readonly RunSettings settings;
    private readonly IExecutionObserver observer;
    private readonly TimeProvider clock;
    private readonly JsonObject provenance;

    public LocalExecutor(StageRegistry stages, CacheStore cache, Roots roots, RunSettings settings, IExecutionObserver observer, TimeProvider clock, JsonObject provenance)
    {
        this.stages = stages;
        this.cache = cache;
        this.roots = roots;
        this.settings = settings;
        this.observer = observer;
        this.clock = clock;
        this.provenance = provenance;
    }

    public async Task<ExecutionReport> RunAsync(Plan plan, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(Math.Max(1, settings.Workers));
        var running = new Dictionary<string, Task<CellOutcome>>();
        foreach (var entry in plan.Entries)
        {
            var upstream = entry.Cell.Upstream
                .Where(u => running.ContainsKey(u.Address.Text))
                .Select(u => running[u.Address.Text])
                .ToList();
            running[entry.Cell.Address.Text] = RunWhenReadyAsync(entry, plan, upstream, slots, cancellationToken);
        }

        var outcomes = await Task.WhenAll(running.Values);
        return new ExecutionReport(outcomes);
    }

    private async Task<CellOutcome> RunWhenReadyAsync(PlanEntry entry, Plan plan, List<Task<CellOutcome>> upstream, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        var finished = await Task.WhenAll(upstream);
        var outcome = finished.Any(o => o.Kind is OutcomeKind.Failed or OutcomeKind.Skipped or OutcomeKind.Cancelled)
            ? new CellOutcome(entry, OutcomeKind.Skipped, TimeSpan.Zero)
            : entry.Status == CellStatus.Cached
                ? new CellOutcome(entry, OutcomeKind.Cached, TimeSpan.Zero)
                : await ComputeAsync(entry, plan, slots, cancellationToken);
        observer.CellFinished(outcome);
        return outcome;
    }

    /// <summary>
    /// Takes a worker slot and the cell's lock, then computes the cell. A cell locked by another
    /// process gives its slot back while it waits, so this process works on other cells meanwhile.
    /// </summary>
    private async Task<CellOutcome> ComputeAsync(PlanEntry entry, Plan plan, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        var announced = false;
        try
        {
            while (true)
            {
                await slots.WaitAsync(cancellationToken);
                try
                {
                    if (cache.TryLock(entry.Key, LockOwner.Current(clock)) is { } cellLock)
                    {
                        using (cellLock)
                        {
                            // Off the caller's thread: stages are mostly synchronous, CPU-bound code.
                            return await Task.Run(() => ComputeLockedAsync(entry, plan, cancellationToken), CancellationToken.None);
                        }
                    }
                }
                finally
                {
                    slots.Release();
                }

                if (!announced)
                {
                    observer.WaitingForLock(entry, CellLock.ReadOwner(cache.LockPath(entry.Key)));
                    announced = true;
                }

                await Task.Delay(LockPollInterval, clock, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new CellOutcome(entry, OutcomeKind.Cancelled, TimeSpan.Zero);
        }
    }

    /// <summary>Computes a cell whose slot and lock are held; its time starts here, not while it queued for a slot.</summary>
    private async Task<CellOutcome> ComputeLockedAsync(PlanEntry entry, Plan plan, CancellationToken cancellationToken)
    {
        var timestamp = clock.GetTimestamp();
        TimeSpan Elapsed() => clock.GetElapsedTime(timestamp);
        var cell = entry.Cell;
        if (entry.Status != CellStatus.Forced && cache.TryReadComplete(cell.Stage, entry.Key) is not null)
        {
            return new CellOutcome(entry, OutcomeKind.Cached, Elapsed());
        }

        var stage = stages.Get(cell.Stage);
        var work = cache.WorkDirectory(cell.Stage, entry.Key);
        var resuming = stage.Descriptor.Resumable && entry.Status != CellStatus.Forced && Directory.Exists(work);
        if (!resuming)
        {
            cache.DiscardWork(cell.Stage, entry.Key);
        }

        Directory.CreateDirectory(work);
        observer.CellStarted(entry);
        var started = clock.GetUtcNow();
        try
        {
            var context = new CellContext
            {
                Cell = cell,
                Key = entry.Key,
                WorkDirectory = work,
                Resuming = resuming,
                Upstream = cell.Upstream.Select(u => UpstreamOutputOf(u, plan)).ToList(),
                Roots = roots,
                Settings = settings,
                Progress = observer.ProgressOf(entry),
                Clock = clock,
            };
            var result = await stage.RunAsync(context, cancellationToken);
            cache.Publish(MetaOf(entry, plan, started, result), work);
            return new CellOutcome(entry, OutcomeKind.Computed, Elapsed());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            KeepOrDiscardWork(stage, entry);
            return new CellOutcome(entry, OutcomeKind.Cancelled, Elapsed());
        }
        catch (Exception error)
        {
            KeepOrDiscardWork(stage, entry);
            return new CellOutcome(entry, OutcomeKind.Failed, Elapsed(), error);
        }
    }

    /// <summary>A resumable stage keeps its checkpoints for the next run; any other stage starts clean.</summary>
    private void KeepOrDiscardWork(IStage stage, PlanEntry entry)
    {
        if (!stage.Descriptor.Resumable)
        {
            cache.DiscardWork(entry.Cell.Stage, entry.Key);
        }
    }

    private UpstreamOutput UpstreamOutputOf(Cells.Cell upstream, Plan plan)
    {
        var key = plan.Keys.KeyOf(upstream);
        var meta = cache.TryReadComplete(upstream.Stage, key)
            ?? throw new InvalidOperationException($"upstream {upstream} ({key}) is not in the cache although it finished");
        return new UpstreamOutput(upstream.Address, key, cache.CellDirectory(upstream.Stage, key), meta);
    }

    private CellMeta MetaOf(PlanEntry entry, Plan plan, DateTimeOffset started, StageResult result)
    {
        var cellProvenance = provenance.DeepClone().AsObject();
        cellProvenance["threads"] = settings.Threads;
        cellProvenance["device"] = settings.Device;
        return new CellMeta
        {
            Key = entry.Key,
            Address = entry.Cell.Address.Text,
            Components = plan.Keys.ComponentsOf(entry.Cell),
            Started = started,
            Finished = clock.GetUtcNow(),
            Host = Environment.MachineName,
            Provenance = cellProvenance,
            Metrics = result.Metrics ?? [],
            Details = result.Details ?? [],
        };
    }
}
