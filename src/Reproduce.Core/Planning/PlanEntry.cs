using Reproduce.Core.Cells;

namespace Reproduce.Core.Planning;

/// <summary>
/// One cell of a plan. <see cref="Selected"/> cells match the filters; the others are upstream
/// cells they need, which run only when not cached and are never forced.
/// </summary>
public sealed record PlanEntry(
    Cell Cell,
    string Key,
    CellStatus Status,
    RerunReason Reason,
    IReadOnlyList<KeyChange> Changes,
    bool Selected)
{
    public bool WillRun => Status != CellStatus.Cached;
}
