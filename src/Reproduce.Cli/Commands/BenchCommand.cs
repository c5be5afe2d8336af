using System.CommandLine;
using System.Diagnostics;
using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Execution;
using Reproduce.Core.Keys;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Data.Datasets;
using Reproduce.Data.Preprocessing;
using Reproduce.Data.Store;
using Reproduce.Data.Synthetic;
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
        command.Subcommands.Add(Preprocess());
        return command;
    }

    /// <summary>
    /// Preprocessing speed on one core: decode → HU → the authors' min–max → area resize → uint8 into a
    /// tensor store, over a synthetic LIDC tree of 512² slices (generated unless <c>--tree</c> names
    /// one). Prints slices/s and the peak working set, and the command that runs the pydicom + numpy
    /// reference (bench/preprocess_pydicom.py) on the same files. The process pins itself to one CPU,
    /// its runtime threads (GC, JIT) included, so "one core" holds for both sides of the comparison.
    /// </summary>
    private static Command Preprocess()
    {
        var slices = new Option<int>("--slices") { Description = "slices to generate", DefaultValueFactory = _ => 512 };
        var tree = new Option<string?>("--tree") { Description = "an existing LIDC-style tree to read instead (kept)" };
        var size = new Option<int>("--size") { Description = "the store's image size", DefaultValueFactory = _ => 224 };
        var command = new Command("preprocess", "time preprocessing of LIDC-style DICOM slices on one core");
        command.Options.Add(slices);
        command.Options.Add(tree);
        command.Options.Add(size);
        command.SetAction(result =>
        {
            var given = result.GetValue(tree);
            var root = given ?? Path.Combine(Path.GetTempPath(), $"reproduce-bench-lidc-{Environment.ProcessId}");
            if (given is null)
            {
                const int PerSeries = 64;
                var count = Math.Max(1, result.GetValue(slices));
                var spec = new SyntheticSpec { Size = 512, Series = (count + PerSeries - 1) / PerSeries, SlicesPerSeries = Math.Min(count, PerSeries) };
                SyntheticDatasets.Write(Identifiers.Lidc, spec, 1, root, SilentProgress.Instance);
                Console.WriteLine($"generated {spec.Series * spec.SlicesPerSeries} synthetic LIDC slices of 512 × 512 in {root}");
            }

            var recipe = new PreprocessSpec { Recipe = "authors", Size = result.GetValue(size) };
            var store = Path.Combine(Path.GetTempPath(), $"reproduce-bench-store-{Environment.ProcessId}");
            StoreDescription Once() =>
                new StoreBuilder(ImageRecipe.Create(recipe), threads: 1, SilentProgress.Instance).Build(new LidcTree(root), Identifiers.Lidc, [], store, CancellationToken.None).Description;

            using var process = Process.GetCurrentProcess();
            var pinned = PinToOneCpu(process);
            try
            {
                Once();
                var peak = 0L;
                var sampler = new Timer(_ =>
                {
                    process.Refresh();
                    peak = Math.Max(peak, process.WorkingSet64);
                }, null, 0, 10);
                var watch = Stopwatch.StartNew();
                var description = Once();
                watch.Stop();
                // Wait for a sample in flight before reading the peak.
                using (var stopped = new ManualResetEvent(false))
                {
                    sampler.Dispose(stopped);
                    stopped.WaitOne();
                }

                var cores = pinned ? "one CPU (pinned)" : "one worker thread (this platform cannot pin)";
                Console.WriteLine($"reproduce: {description.Count} slices in {watch.Elapsed.TotalSeconds:0.00} s = {description.Count / watch.Elapsed.TotalSeconds:0.0} slices/s on {cores}; peak working set {peak / (1 << 20)} MB");
                Console.WriteLine($"reference: taskset -c 0 /usr/bin/python3 bench/preprocess_pydicom.py {root} {recipe.Size}   (target: this command at least 5 × faster)");
            }
            finally
            {
                Directory.Delete(store, recursive: true);
                if (given is null)
                {
                    Console.WriteLine($"the tree is kept for the reference run; delete {root} afterwards");
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>Restricts the whole process to its first allowed CPU; false where the platform has no affinity (macOS).</summary>
    private static bool PinToOneCpu(Process process)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            return false;
        }

        var allowed = (long)process.ProcessorAffinity;
        process.ProcessorAffinity = (nint)(allowed & -allowed);
        return true;
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
            var stages = Composition.PipelineStages.Create(loaded);
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
