using System.Collections.Concurrent;
using Reproduce.Core.Stages;

namespace Reproduce.Data.Tests;

/// <summary>
/// Progress that keeps every report and message for assertions, and can fail after a number of
/// reports to interrupt the work that reports it.
/// </summary>
public sealed class RecordingProgress(int failAfter = int.MaxValue) : ICellProgress
{
    public ConcurrentQueue<(double Done, double Total, string Unit)> Reports { get; } = new();

    public ConcurrentQueue<string> Messages { get; } = new();

    public void Report(double done, double total, string unit)
    {
        Reports.Enqueue((done, total, unit));
        if (Reports.Count >= failAfter)
        {
            throw new InvalidOperationException("interrupted by the test");
        }
    }

    public void Message(string text) => Messages.Enqueue(text);
}
