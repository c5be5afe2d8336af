namespace Reproduce.Core.Errors;

/// <summary>Raised by a stage whose implementation has not landed yet; planning still works for it.</summary>
public sealed class StageNotImplementedException : ReproduceException
{
    public StageNotImplementedException(string stage, string plannedIn)
        : base($"stage '{stage}' is not implemented yet (planned in {plannedIn}); 'reproduce plan' works for it, running it does not")
    {
        Stage = stage;
    }

    public string Stage { get; }

    public override int ExitCode => ExitCodes.CellFailed;
}
