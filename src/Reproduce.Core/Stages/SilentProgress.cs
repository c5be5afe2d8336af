namespace Reproduce.Core.Stages;

/// <summary>Progress that goes nowhere: for benchmarks (whose own output is the measurement) and tests.</summary>
public sealed class SilentProgress : ICellProgress
{
    public static readonly SilentProgress Instance = new();

    private SilentProgress()
    {
    }

    public void Report(double done, double total, string unit)
    {
    }

    public void Message(string text)
    {
    }
}
