using Reproduce.Core.Planning;

namespace Reproduce.Core.Execution;

public enum OutcomeKind
{
    /// <summary>Already in the cache (found at planning time, or published meanwhile by another process).</summary>
    Cached,
    Computed,
    Failed,

    /// <summary>Not attempted because an upstream cell did not finish.</summary>
    Skipped,
    Cancelled,
}

/// <summary>What happened to one cell of a run.</summary>
public sealed record CellOutcome(PlanEntry Entry, OutcomeKind Kind, TimeSpan Duration, Exception? Error = null)
{
    /// <summary>"cell: what happened", e.g. the error message of a failed cell.</summary>
    public string Describe() => Kind switch
    {
        OutcomeKind.Failed => $"{Entry.Cell}: {Error?.Message}",
        OutcomeKind.Skipped => $"{Entry.Cell}: skipped, an upstream cell did not finish",
        OutcomeKind.Cancelled => $"{Entry.Cell}: interrupted",
        _ => $"{Entry.Cell}: {Kind.ToString().ToLowerInvariant()}",
    };
}
