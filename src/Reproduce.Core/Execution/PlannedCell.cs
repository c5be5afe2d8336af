using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Errors;
using Reproduce.Core.Keys;

namespace Reproduce.Core.Execution;

/// <summary>A cell of a planned experiment picked by its key, so <c>reproduce run-cell KEY --manifest …</c> can run a key <c>reproduce plan</c> printed.</summary>
public static class PlannedCell
{
    /// <summary>
    /// Records in <paramref name="cache"/> the spec of the cell of <paramref name="graph"/> whose key is, or starts with,
    /// <paramref name="wanted"/>, and returns it; refuses a key that is none of its cells', and a cell whose upstream
    /// cells are missing, naming them.
    /// </summary>
    public static CellSpec Record(string experiment, CellGraph graph, CellKeys keys, CacheStore cache, string wanted)
    {
        var cell = graph.Cells.FirstOrDefault(c => keys.KeyOf(c) == wanted || (wanted.Length >= KeyText.ShortestPrefix && keys.KeyOf(c).StartsWith(wanted, StringComparison.Ordinal)))
            ?? throw new UsageException($"no cell of {experiment} has key {wanted} (keys change with the manifest and the device: see 'reproduce plan')");
        var missing = cell.Upstream.Where(u => cache.TryReadComplete(u.Stage, keys.KeyOf(u)) is null).Select(u => u.Address.Text).ToList();
        if (missing.Count > 0)
        {
            var named = string.Join(", ", missing.Take(3)) + (missing.Count > 3 ? $" and {missing.Count - 3} more" : "");
            throw new EnvironmentException($"{cell} needs {named} first: run their stage (or 'reproduce run') before this cell");
        }

        var spec = CellSpec.Of(cell, keys);
        cache.WriteSpec(spec);
        return spec;
    }
}
