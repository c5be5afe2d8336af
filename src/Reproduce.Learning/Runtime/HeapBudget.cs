namespace Reproduce.Learning.Runtime;

/// <summary>
/// One cell's bound on freed memory kept in the heap: the process may grow to a quarter above (plus 64 MB) its size
/// after the cell's first step, which holds that step's buffers, free for the next; past it, the free pages go back to
/// the kernel (<see cref="NativeHeap.Release"/>). A steady loop of equal steps never reaches the bound and keeps its
/// buffers; a fragmenting one is trimmed as often as it needs.
/// </summary>
public sealed class HeapBudget
{
    private const double Headroom = 1.25;
    private const long Slack = 64L << 20;

    private long? bound;

    /// <summary>Call after every step (and every evaluation pass): the first call sets the bound, later ones hold it.</summary>
    public void AfterStep()
    {
        if (NativeHeap.ResidentBytes() is not { } resident)
        {
            return;
        }

        if (bound is null)
        {
            bound = (long)(resident * Headroom) + Slack;
        }
        else if (resident > bound)
        {
            NativeHeap.Release();
        }
    }
}
