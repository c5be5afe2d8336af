using Reproduce.Core.Cache;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;

namespace Reproduce.Core.Execution;

/// <summary>Receives the executor's events; the CLI renders them (DESIGN.md §6 "Progress").</summary>
public interface IExecutionObserver
{
    void CellStarted(PlanEntry entry);

    /// <summary>The progress sink a stage reports into while computing <paramref name="entry"/>.</summary>
    ICellProgress ProgressOf(PlanEntry entry);

    void CellFinished(CellOutcome outcome);

    /// <summary>Another process holds the cell's lock; the executor waits for it.</summary>
    void WaitingForLock(PlanEntry entry, LockOwner? holder);
}
