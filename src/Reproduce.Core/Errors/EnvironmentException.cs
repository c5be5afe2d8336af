namespace Reproduce.Core.Errors;

/// <summary>
/// Something outside the project is missing or busy: data that must be provided by hand, a tool,
/// a lock held by another run. The message says how to fix it.
/// </summary>
public sealed class EnvironmentException : ReproduceException
{
    public EnvironmentException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    public override int ExitCode => ExitCodes.Environment;
}
