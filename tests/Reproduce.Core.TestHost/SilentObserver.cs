using Reproduce.Core.Cache;
using Reproduce.Core.Execution;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;

namespace Reproduce.Core.TestHost;

/// <summary>An observer that records outcomes and shows nothing.</summary>
public sealed class SilentObserver : IExecutionObserver, ICellProgress
{
    private readonly List<CellOutcome> finished = [];
    private readonly Lock gate = new();

    public int Waits { get; private set; }

    public IReadOnlyList<CellOutcome> Finished
    {
        get
        {
            lock (gate)
            {
                return finished.ToList();
            }
        }
    }

    public void CellStarted(PlanEntry entry)
    {
    }

    public ICellProgress ProgressOf(PlanEntry entry) => this;

    public void CellFinished(CellOutcome outcome)
    {
        lock (gate)
        {
            finished.Add(outcome);
        }
    }

    public void WaitingForLock(PlanEntry entry, LockOwner? holder)
    {
        lock (gate)
        {
            Waits++;
        }
    }

    public void Report(double done, double total, string unit)
    {
    }

    public void Message(string text)
    {
    }
}
