namespace Reproduce.Core.Errors;

/// <summary>The exit codes of <c>reproduce</c> (DESIGN.md §7).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int CellFailed = 1;
    public const int InvalidInput = 2;
    public const int Environment = 3;

    /// <summary><c>reproduce regress</c>: a headline metric lies outside its baseline band.</summary>
    public const int Regression = 4;

    /// <summary>
    /// <c>reproduce run-cell</c> stopped on SIGUSR1, the signal a Slurm job gets before its time limit: the cell kept
    /// its checkpoint and asks to be requeued (EX_TEMPFAIL).
    /// </summary>
    public const int Requeue = 75;
    public const int Interrupted = 130;
}
