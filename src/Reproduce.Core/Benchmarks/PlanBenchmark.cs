using Reproduce.Core.Cache;
using Reproduce.Core.Keys;
using Reproduce.Core.Manifests;
using Reproduce.Core.Methods;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;

namespace Reproduce.Core.Benchmarks;

/// <summary>
/// The engine's own planning time for a manifest (DESIGN.md §7 "Benchmarks"; target for the paper grid: under 0.5 s):
/// expanding the grid, computing every key and classifying every cell against the cache. Loading the manifest is
/// timed apart, once and cold.
/// </summary>
public static class PlanBenchmark
{
    /// <param name="repeats">timed plans after one untimed one (at least one)</param>
    public static PlanTimings Run(string manifestPath, MethodCatalog catalog, StageRegistry stages, RuntimeFingerprint runtime, int repeats, TimeProvider clock)
    {
        var loading = clock.GetTimestamp();
        var manifest = ManifestLoader.Load(manifestPath, catalog);
        var load = clock.GetElapsedTime(loading);
        // Lookups only: nothing is written under this folder, so it is never made.
        var cache = new CacheStore(Path.Combine(Path.GetTempPath(), $"reproduce-bench-{Environment.ProcessId}"));
        Plan Once()
        {
            var graph = ExperimentGraph.Build(manifest);
            return Planner.Create(graph, new CellKeys(graph, stages, runtime), cache, CellFilter.All, force: false);
        }

        var plan = Once();
        var times = new List<TimeSpan>();
        for (var i = 0; i < Math.Max(1, repeats); i++)
        {
            var started = clock.GetTimestamp();
            Once();
            times.Add(clock.GetElapsedTime(started));
        }

        times.Sort();
        return new PlanTimings(plan, load, times);
    }
}

/// <summary>What <see cref="PlanBenchmark"/> measured: the plan, the cold load, and every timed plan, shortest first.</summary>
public sealed record PlanTimings(Plan Plan, TimeSpan Load, IReadOnlyList<TimeSpan> Plans)
{
    public TimeSpan Median => Plans[Plans.Count / 2];
}
