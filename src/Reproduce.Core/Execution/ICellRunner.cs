using Reproduce.Core.Cache;
using Reproduce.Core.Keys;
using Reproduce.Core.Stages;

namespace Reproduce.Core.Execution;

/// <summary>
/// Computes one cell from its spec under the cell's lock: in this process (<see cref="InProcessCellRunner"/>) or in
/// a child process of the same build (<see cref="ChildProcessCellRunner"/>). A failure is thrown; cancellation is
/// an <see cref="OperationCanceledException"/>; in either case no partial cell is published.
/// </summary>
public interface ICellRunner
{
    Task<CellRunResult> RunAsync(CellRun run, CancellationToken cancellationToken);
}

/// <summary>
/// One request to compute a cell: recompute even if cached (<paramref name="Force"/>), on which worker (the index
/// of the executor slot, which picks the worker's device), what to call once the lock is held and the cell really
/// starts, and where its progress goes.
/// </summary>
public sealed record CellRun(CellSpec Spec, bool Force, int Worker, Action Started, ICellProgress Progress);

public enum CellRunStatus
{
    Computed,

    /// <summary>Found published once the lock was held (another process computed it meanwhile).</summary>
    Cached,

    /// <summary>Another process holds the cell's lock; nothing was done.</summary>
    Locked,
}

/// <summary>What became of a <see cref="CellRun"/> that did not fail: with the lock's holder when it was locked.</summary>
public sealed record CellRunResult(CellRunStatus Status, LockOwner? Holder = null)
{
    public static readonly CellRunResult Computed = new(CellRunStatus.Computed);
    public static readonly CellRunResult Cached = new(CellRunStatus.Cached);
}
