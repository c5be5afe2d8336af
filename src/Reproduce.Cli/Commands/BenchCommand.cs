using System.CommandLine;
using System.Diagnostics;
using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Keys;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Learning;
using Reproduce.Learning.Methods;

namespace Reproduce.Cli.Commands;

/// <summary><c>reproduce bench …</c>: speed and memory targets live here, never in timed tests.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "benchmarks");
        command.Subcommands.Add(Plan());
        return command;
    }

    /// <summary>
    /// The engine's own planning time for a manifest (target for the paper grid: under 0.5 s):
    /// expanding the grid, computing every key and classifying every cell against the cache.
    /// Manifest parsing is timed separately.
    /// </summary>
    private static Command Plan()
    {
        var manifest = new Option<string>("--manifest") { Description = "the manifest to plan", DefaultValueFactory = _ => "experiments/paper.yaml" };
        var repeats = new Option<int>("--repeats") { Description = "timed repetitions after one warm-up", DefaultValueFactory = _ => 20 };
        var command = new Command("plan", "time the planner on a manifest (default: the paper grid)");
        command.Options.Add(manifest);
        command.Options.Add(repeats);
        command.SetAction(result =>
        {
            var path = result.GetValue(manifest)!;
            var loadWatch = Stopwatch.StartNew();
            var loaded = ManifestLoader.Load(path, MethodRegistry.Catalog);
            loadWatch.Stop();
            var runtime = new RuntimeFingerprint("cpu", TorchRuntime.ManagedVersion);
            var cache = new CacheStore(Path.Combine(Path.GetTempPath(), $"reproduce-bench-{Environment.ProcessId}"));
            var stages = Composition.PipelineStages.Create();
            Plan Once()
            {
                var graph = ExperimentGraph.Build(loaded);
                return Planner.Create(graph, new CellKeys(graph, stages, runtime), cache, CellFilter.All, force: false);
            }

            var plan = Once();
            var times = new List<double>();
            for (var i = 0; i < Math.Max(1, result.GetValue(repeats)); i++)
            {
                var watch = Stopwatch.StartNew();
                Once();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            Console.WriteLine($"manifest {path}: {plan.Entries.Count} cells ({string.Join(", ", plan.Stages.Select(s => $"{plan.Count(s)} {s}"))})");
            Console.WriteLine($"load + validate: {loadWatch.Elapsed.TotalMilliseconds:0.0} ms (first, cold)");
            Console.WriteLine($"plan (grid + keys + cache lookups): median {times[times.Count / 2]:0.00} ms, min {times[0]:0.00} ms, max {times[^1]:0.00} ms over {times.Count} runs (target < 500 ms)");
            return 0;
        });
        return command;
    }
}
