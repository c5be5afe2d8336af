using Reproduce.Core.Execution;
namespace Reproduce.Learning.Runtime;

/// <summary>
/// One cell's bound on freed memory kept in the heap: the process may grow to a quarter above (plus 64 MB) its size
/// after the cell's first step, which holds that step's buffers, free for the next; past it, the free pages go back to
/// the kernel (<see cref="NativeHeap.Release"/>), at most every few steps. A steady loop of equal steps never reaches
/// the bound and keeps its buffers; a fragmenting one is trimmed as often as it needs.
/// </summary>
public sealed class HeapBudget
{
    private const double Headroom = 1.25;
    private const long Slack = 64L << 20;

    // Each release costs the next steps their page faults: on ci.yaml's COVID cells, releasing after every step over
    // the bound took a quarter longer than never releasing (peak 0.66 GB against 3.6 GB); at most every 4th step,
    // within the noise of never (peak 0.8 GB).
    private const int MinimumStepsBetweenReleases = 4;

    private long? bound;
    private int stepsSinceRelease;

    /// <summary>Call after every step (and every evaluation pass): the first call sets the bound, later ones hold it.</summary>
    public void AfterStep()
    {
        if (ProcessMemory.ResidentBytes() is not { } resident)
        {
            return;
        }

        stepsSinceRelease++;
        if (bound is null)
        {
            bound = (long)(resident * Headroom) + Slack;
        }
        else if (resident > bound && stepsSinceRelease >= MinimumStepsBetweenReleases)
        {
            NativeHeap.Release();
            stepsSinceRelease = 0;
        }
    }
}
