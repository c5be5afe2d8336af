using System.Collections.Concurrent;
using Reproduce.Core.Cache;
using Reproduce.Core.Execution;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Spectre.Console;

namespace Reproduce.Cli.Progress;

/// <summary>
/// Progress bars with rate and ETA on a terminal (Spectre.Console), one per running cell. Messages
/// and failures are kept and printed after the display closes, so they do not tear the bars.
/// </summary>
internal sealed class LiveObserver(ProgressContext context, TimeProvider clock) : IExecutionObserver
{
    private readonly ConcurrentDictionary<string, ProgressTask> tasks = new();
    private readonly ConcurrentQueue<string> messages = new();

    public IEnumerable<string> Messages => messages;

    public void CellStarted(PlanEntry entry) =>
        tasks[entry.Cell.Address.Text] = context.AddTask(Markup.Escape(entry.Cell.Address.Text), maxValue: 1);

    public ICellProgress ProgressOf(PlanEntry entry) => new CellBar(this, entry, clock);

    public void CellFinished(CellOutcome outcome)
    {
        if (tasks.TryRemove(outcome.Entry.Cell.Address.Text, out var task))
        {
            task.Value = task.MaxValue;
            task.StopTask();
        }

        if (outcome.Kind is OutcomeKind.Failed or OutcomeKind.Cancelled)
        {
            messages.Enqueue((outcome.Kind == OutcomeKind.Failed ? "failed: " : "") + outcome.Describe());
        }
    }

    public void WaitingForLock(PlanEntry entry, LockOwner? holder) =>
        messages.Enqueue($"{entry.Cell.Address}: waited for the lock held by {holder?.ToString() ?? "another process"}");

    private sealed class CellBar(LiveObserver owner, PlanEntry entry, TimeProvider clock) : ICellProgress
    {
        private readonly RateEstimator rate = new(clock);

        public void Report(double done, double total, string unit)
        {
            if (owner.tasks.TryGetValue(entry.Cell.Address.Text, out var task))
            {
                task.MaxValue = Math.Max(total, 1e-9);
                task.Value = Math.Min(done, task.MaxValue);
                task.Description = Markup.Escape($"{entry.Cell.Address} {rate.Describe(done, total, unit)}");
            }
        }

        public void Message(string text) => owner.messages.Enqueue($"{entry.Cell.Address}: {text}");
    }
}
