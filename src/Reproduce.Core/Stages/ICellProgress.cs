namespace Reproduce.Core.Stages;

/// <summary>
/// How a running stage reports progress: a count of done items out of a total (bytes, slices,
/// steps, epochs), with the unit, and occasional messages. The CLI renders it (a progress bar on a
/// terminal, plain lines otherwise).
/// </summary>
public interface ICellProgress
{
    void Report(double done, double total, string unit);

    void Message(string text);
}
