using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Keys;

namespace Reproduce.Core.Planning;

/// <summary>
/// Decides, without running anything, what each selected cell (and each upstream cell it needs)
/// will do and why. Reads only meta.json files and work directories, so planning never needs data.
/// </summary>
public static class Planner
{
    public static Plan Create(CellGraph graph, CellKeys keys, CacheStore cache, CellFilter filter, bool force)
    {
        var selected = graph.Cells.Where(c => filter.Matches(c.Address)).ToHashSet();
        var needed = new HashSet<Cell>(selected);
        foreach (var cell in graph.Cells.Reverse())
        {
            if (needed.Contains(cell))
            {
                needed.UnionWith(cell.Upstream);
            }
        }

        var history = new PublishedHistory(cache);
        var entries = new List<PlanEntry>();
        foreach (var cell in graph.Cells.Where(needed.Contains))
        {
            var key = keys.KeyOf(cell);
            var isSelected = selected.Contains(cell);
            entries.Add(Classify(cell, key, keys.ComponentsOf(cell), isSelected, force && isSelected, cache, history));
        }

        return new Plan(entries, keys);
    }

    private static PlanEntry Classify(Cell cell, string key, KeyComponents components, bool selected, bool forced, CacheStore cache, PublishedHistory history)
    {
        if (forced)
        {
            return new PlanEntry(cell, key, CellStatus.Forced, RerunReason.Forced, [], selected);
        }

        if (cache.TryReadComplete(cell.Stage, key) is not null)
        {
            return new PlanEntry(cell, key, CellStatus.Cached, RerunReason.None, [], selected);
        }

        if (cache.HasWork(cell.Stage, key))
        {
            return new PlanEntry(cell, key, CellStatus.Incomplete, RerunReason.Interrupted, [], selected);
        }

        return history.Latest(cell.Stage, cell.Address.Text) is { } older
            ? new PlanEntry(cell, key, CellStatus.Missing, RerunReason.KeyChanged, KeyDiff.Between(older.Components, components), selected)
            : new PlanEntry(cell, key, CellStatus.Missing, RerunReason.NeverComputed, [], selected);
    }

    /// <summary>The newest published cell per address, read once per stage and only when a cell of that stage is missing.</summary>
    private sealed class PublishedHistory(CacheStore cache)
    {
        private readonly Dictionary<string, Dictionary<string, CellMeta>> byStage = [];

        public CellMeta? Latest(string stage, string address)
        {
            if (!byStage.TryGetValue(stage, out var latest))
            {
                latest = cache.ReadAll(stage)
                    .GroupBy(m => m.Address)
                    .ToDictionary(g => g.Key, g => g.MaxBy(m => m.Finished)!);
                byStage[stage] = latest;
            }

            return latest.GetValueOrDefault(address);
        }
    }
}
