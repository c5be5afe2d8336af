using Reproduce.Core.Keys;
using Reproduce.Core.Manifests;

namespace Reproduce.Core.Planning;

/// <summary>The planner's answer: the cells to consider, in dependency order, with their status.</summary>
public sealed record Plan(IReadOnlyList<PlanEntry> Entries, CellKeys Keys)
{
    /// <summary>
    /// The plan's stages in pipeline order (<see cref="StageNames.All"/>), not in the order their first cells appear: the
    /// planner lists a task's probe cells before the next task's fine-tuning cells.
    /// </summary>
    public IReadOnlyList<string> Stages => Entries.Select(e => e.Cell.Stage).Distinct().OrderBy(s => StageNames.All.ToList().IndexOf(s)).ToList();

    public int Count(string stage) => Entries.Count(e => e.Cell.Stage == stage);

    public int Count(string stage, CellStatus status) => Entries.Count(e => e.Cell.Stage == stage && e.Status == status);

    public int ToRun => Entries.Count(e => e.WillRun);
}
