namespace Reproduce.Core.Errors;

/// <summary>
/// The base of the project's small exception family. Each kind maps to one process exit code
/// (DESIGN.md §7), so the CLI can turn any failure into one clear line and the right code.
/// </summary>
public abstract class ReproduceException : Exception
{
    protected ReproduceException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>The exit code of <c>reproduce</c> when this error ends the process.</summary>
    public abstract int ExitCode { get; }
}
