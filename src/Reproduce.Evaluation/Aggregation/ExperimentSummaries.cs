using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Errors;
using Reproduce.Core.Keys;
using Reproduce.Core.Manifests;

namespace Reproduce.Evaluation.Aggregation;

/// <summary>The headline metrics of an experiment: the summary rows of all its aggregate cells, read from the cache.</summary>
public static class ExperimentSummaries
{
    /// <summary>
    /// Every aggregate cell's summary rows. An experiment that has not been run through its aggregates is an environment
    /// problem that names the missing cells.
    /// </summary>
    public static IReadOnlyList<SummaryRow> Read(string experiment, CellGraph graph, CellKeys keys, CacheStore cache)
    {
        var rows = new List<SummaryRow>();
        var missing = new List<string>();
        foreach (var cell in graph.Cells.Where(c => c.Stage == StageNames.Aggregate && c.Address[Core.Planning.ExperimentGraph.ProtocolDimension] is null))
        {
            var key = keys.KeyOf(cell);
            if (cache.TryReadComplete(StageNames.Aggregate, key) is null)
            {
                missing.Add(cell.Address.Text);
                continue;
            }

            rows.AddRange(AggregateFiles.ReadSummary(Path.Combine(cache.CellDirectory(StageNames.Aggregate, key), AggregateFiles.SummaryFileName)));
        }

        return missing.Count == 0
            ? rows
            : throw new EnvironmentException($"experiment '{experiment}' has not been run: {string.Join(", ", missing)} not in the cache; run `reproduce run --manifest <manifest>` first (`./build.sh --target=Regress` runs and compares)");
    }
}
