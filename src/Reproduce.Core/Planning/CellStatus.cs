namespace Reproduce.Core.Planning;

/// <summary>What the planner found for a cell (DESIGN.md §1).</summary>
public enum CellStatus
{
    /// <summary>Published under its current key; nothing to do.</summary>
    Cached,

    /// <summary>Not in the cache under its current key.</summary>
    Missing,

    /// <summary>An interrupted run left a work directory; the next run resumes or restarts it.</summary>
    Incomplete,

    /// <summary>Selected with <c>--force</c>: recomputed even if cached.</summary>
    Forced,
}
