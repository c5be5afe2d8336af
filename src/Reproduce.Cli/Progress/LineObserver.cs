using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Execution;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;

namespace Reproduce.Cli.Progress;

/// <summary>
/// Plain, line-based progress for redirected output (CI logs, Slurm): one line when a cell starts
/// and ends, and a progress line per cell at most every <see cref="Interval"/>.
/// </summary>
internal sealed class LineObserver(TextWriter output, TimeProvider clock) : IExecutionObserver
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Lock gate = new();

    public void CellStarted(PlanEntry entry) => Write($"start   {entry.Cell.Address} ({PlanFormatter.Status(entry.Status)}: {PlanFormatter.Reason(entry)})");

    public ICellProgress ProgressOf(PlanEntry entry) => ProgressOf(entry.Cell.Address);

    /// <summary>Progress lines of one cell run outside a plan (<c>reproduce run-cell</c>).</summary>
    public ICellProgress ProgressOf(CellAddress address) => new CellLines(this, address, clock);

    public void CellFinished(CellOutcome outcome)
    {
        switch (outcome.Kind)
        {
            case OutcomeKind.Computed:
                Write($"done    {outcome.Entry.Cell.Address} in {outcome.Duration.TotalSeconds:0.0}s");
                break;
            case OutcomeKind.Failed:
                Write($"failed  {outcome.Describe()}");
                break;
            case OutcomeKind.Skipped or OutcomeKind.Cancelled:
                Write($"        {outcome.Describe()}");
                break;
        }
    }

    public void WaitingForLock(PlanEntry entry, LockOwner? holder) =>
        Write($"waiting {entry.Cell.Address}: locked by {holder?.ToString() ?? "another process"}");

    private void Write(string line)
    {
        lock (gate)
        {
            output.WriteLine(line);
        }
    }

    private sealed class CellLines(LineObserver owner, CellAddress address, TimeProvider clock) : ICellProgress
    {
        private readonly RateEstimator rate = new(clock);
        private DateTimeOffset lastWritten = DateTimeOffset.MinValue;

        public void Report(double done, double total, string unit)
        {
            var text = rate.Describe(done, total, unit);
            var now = clock.GetUtcNow();
            if (now - lastWritten >= Interval || done >= total)
            {
                lastWritten = now;
                owner.Write($"        {address}: {text}");
            }
        }

        public void Message(string text) => owner.Write($"        {address}: {text}");
    }
}
