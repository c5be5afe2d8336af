using Reproduce.Core.Cache;
using Reproduce.Core.Errors;
using Reproduce.Core.Keys;
using Reproduce.Core.Planning;

namespace Reproduce.Core.Execution.Slurm;

/// <summary>
/// Follows a plan's cells on a cluster from the cache, their <see cref="SlurmLease"/>s and <c>squeue</c>, whichever
/// submission made their tasks: what the executor waits on, and what <c>reproduce status</c> and
/// <c>reproduce cancel</c> act on.
/// </summary>
public sealed class SlurmTracker(CacheStore cache, SlurmCommands slurm)
{
    private const int LogLinesShown = 8;

    /// <summary>
    /// Where every cell of <paramref name="plan"/> stands on the cluster now, from the cache, the leases and
    /// <c>squeue</c> (asked only about the jobs the leases name): what <c>reproduce status</c> prints.
    /// </summary>
    public IReadOnlyList<SlurmCellState> States(Plan plan)
    {
        var queue = new QueueSnapshot(slurm);
        var outcomes = new Dictionary<string, CellOutcome>(StringComparer.Ordinal);
        var states = new List<SlurmCellState>();
        foreach (var entry in plan.Entries)
        {
            if (!entry.WillRun || cache.TryReadComplete(entry.Cell.Stage, entry.Key) is not null)
            {
                outcomes[entry.Key] = new CellOutcome(entry, OutcomeKind.Cached, TimeSpan.Zero);
                states.Add(new SlurmCellState(entry, SlurmCellStatus.Cached, null, null));
                continue;
            }

            var lease = SlurmLease.Read(cache.Root, entry.Key);
            if (lease?.Task is null)
            {
                states.Add(new SlurmCellState(entry, lease is null ? SlurmCellStatus.Missing : SlurmCellStatus.Submitting, lease, null));
            }
            else if (Observe(entry, lease, queue, outcomes, plan.Keys) is { } ended)
            {
                outcomes[entry.Key] = ended;
                states.Add(new SlurmCellState(entry, ended.Kind == OutcomeKind.Skipped ? SlurmCellStatus.Blocked : SlurmCellStatus.Failed, lease, ended.Error?.Message));
            }
            else
            {
                states.Add(new SlurmCellState(entry, queue.IsRunning(lease.JobId!, lease.Index) ? SlurmCellStatus.Running : SlurmCellStatus.Pending, lease, null));
            }
        }

        return states;
    }

    /// <summary>Cancels the tasks of the plan's cells still queued or running, whichever submission made them; returns them.</summary>
    public IReadOnlyList<string> Cancel(Plan plan)
    {
        var queue = new QueueSnapshot(slurm);
        var active = plan.Entries
            .Where(e => e.WillRun)
            .Select(e => (e.Key, Lease: SlurmLease.Read(cache.Root, e.Key)))
            .Where(c => c.Lease?.Task is not null && queue.IsActive(c.Lease.JobId!, c.Lease.Index))
            .ToList();
        slurm.Cancel([.. active.Select(c => c.Lease!.Task!)]);
        foreach (var (key, _) in active)
        {
            SlurmLease.Release(cache.Root, key);
        }

        return [.. active.Select(c => c.Lease!.Task!)];
    }

    /// <summary>
    /// What has become of a cell's task: null while it is queued or running, Computed once its cell is published,
    /// Skipped when it ended unpublished behind an upstream cell that did not finish, else Failed with the reason.
    /// </summary>
    internal CellOutcome? Observe(PlanEntry entry, SlurmLease lease, QueueSnapshot queue, Dictionary<string, CellOutcome> outcomes, CellKeys keys)
    {
        // A forced cell was published before its task was submitted: only a publication begun since then counts.
        if (cache.TryReadComplete(entry.Cell.Stage, entry.Key) is { } meta && (entry.Status != CellStatus.Forced || meta.Started >= lease.Taken))
        {
            // The cell is done: its lease has nothing left to guard.
            SlurmLease.Release(cache.Root, entry.Key);
            return new CellOutcome(entry, OutcomeKind.Computed, TimeSpan.FromSeconds(meta.Seconds));
        }

        if (queue.IsActive(lease.JobId!, lease.Index))
        {
            return null;
        }

        var blocked = entry.Cell.Upstream.Any(u => outcomes.TryGetValue(keys.KeyOf(u), out var upstream) && upstream.Kind is OutcomeKind.Failed or OutcomeKind.Skipped or OutcomeKind.Cancelled);
        return blocked
            ? new CellOutcome(entry, OutcomeKind.Skipped, TimeSpan.Zero)
            : new CellOutcome(entry, OutcomeKind.Failed, TimeSpan.Zero, new CellProcessException(Reason(lease, queue.Task(lease.JobId!, lease.Index))));
    }

    /// <summary>Why a task ended without publishing its cell: its state and the last lines of its log.</summary>
    private static string Reason(SlurmLease lease, QueuedTask? task)
    {
        var state = task is null ? "its job left the queue" : $"its task ended {task.State}{(task.Reason is "None" or "" ? "" : $" ({task.Reason})")}";
        var tail = lease.Log is { } path && File.Exists(path) ? File.ReadLines(path).TakeLast(LogLinesShown).ToList() : [];
        return $"job {lease.Task}: {state} without publishing the cell" + (tail.Count > 0 ? $"; the end of {lease.Log}:\n  " + string.Join("\n  ", tail) : $"; no log at {lease.Log}");
    }
}

public enum SlurmCellStatus
{
    Cached,
    Missing,
    Submitting,
    Pending,
    Running,
    Failed,
    Blocked,
}

/// <summary>A cell as <c>reproduce status</c> shows it on a cluster: its status, its lease (when submitted) and why it failed.</summary>
public sealed record SlurmCellState(PlanEntry Entry, SlurmCellStatus Status, SlurmLease? Lease, string? Reason);
