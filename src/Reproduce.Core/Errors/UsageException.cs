namespace Reproduce.Core.Errors;

/// <summary>Invalid arguments or options given to a command.</summary>
public sealed class UsageException : ReproduceException
{
    public UsageException(string message)
        : base(message)
    {
    }

    public override int ExitCode => ExitCodes.InvalidInput;
}
