using Reproduce.Core.Cache;
using Reproduce.Core.Planning;

namespace Reproduce.Core.Execution;

/// <summary>
/// Deletes a plan's selected cells (under their current keys) and their work directories from the cache. A cell that a
/// run in progress needs (its own cells and their cached upstream cells), or whose lock another process holds, is left
/// alone and reported.
/// </summary>
public static class CellCleaner
{
    public static CleanReport Clean(Plan plan, CacheStore cache, LockOwner owner)
    {
        var removed = 0;
        var left = new List<(PlanEntry, CellLeftAlone)>();
        var inUse = cache.CellsInUse();
        foreach (var entry in plan.Entries.Where(e => e.Selected))
        {
            if (inUse.Contains(entry.Key))
            {
                left.Add((entry, CellLeftAlone.InUse));
                continue;
            }

            using var cellLock = cache.TryLock(entry.Key, owner);
            if (cellLock is null)
            {
                left.Add((entry, CellLeftAlone.Locked));
                continue;
            }

            if (cache.TryReadComplete(entry.Cell.Stage, entry.Key) is not null || cache.HasWork(entry.Cell.Stage, entry.Key))
            {
                cache.Remove(entry.Cell.Stage, entry.Key);
                removed++;
            }
        }

        return new CleanReport(removed, left);
    }
}

/// <summary>Why <see cref="CellCleaner"/> left a cell alone.</summary>
public enum CellLeftAlone
{
    /// <summary>A run in progress needs it.</summary>
    InUse,

    /// <summary>Another process holds its lock (it is being computed).</summary>
    Locked,
}

/// <summary>How many cells <see cref="CellCleaner"/> removed, and the ones it left alone with the reason.</summary>
public sealed record CleanReport(int Removed, IReadOnlyList<(PlanEntry Entry, CellLeftAlone Reason)> LeftAlone);
