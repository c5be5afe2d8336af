namespace Reproduce.Core.Errors;

/// <summary>A cell computed in a process of its own failed there, or that process died; the message says which and why.</summary>
public sealed class CellProcessException : ReproduceException
{
    public CellProcessException(string message, int exitCode = ExitCodes.CellFailed)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public override int ExitCode { get; }
}
