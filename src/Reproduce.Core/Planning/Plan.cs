using Reproduce.Core.Keys;

namespace Reproduce.Core.Planning;

/// <summary>The planner's answer: the cells to consider, in dependency order, with their status.</summary>
public sealed record Plan(IReadOnlyList<PlanEntry> Entries, CellKeys Keys)
{
    /// <summary>Stages in pipeline order as they occur in the plan.</summary>
    public IReadOnlyList<string> Stages => Entries.Select(e => e.Cell.Stage).Distinct().ToList();

    public int Count(string stage) => Entries.Count(e => e.Cell.Stage == stage);

    public int Count(string stage, CellStatus status) => Entries.Count(e => e.Cell.Stage == stage && e.Status == status);

    public int ToRun => Entries.Count(e => e.WillRun);
}
