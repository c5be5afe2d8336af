namespace Reproduce.Core.Errors;

/// <summary>The exit codes of <c>reproduce</c> (DESIGN.md §7).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int CellFailed = 1;
    public const int InvalidInput = 2;
    public const int Environment = 3;
    public const int Interrupted = 130;
}
