using System.CommandLine;
using Reproduce.Core.Benchmarks;
using Reproduce.Core.Keys;
using Reproduce.Data.Benchmarks;
using Reproduce.Learning;
using Reproduce.Learning.Benchmarks;
using Reproduce.Learning.Methods;
using Reproduce.Learning.Models;

namespace Reproduce.Cli.Commands;

/// <summary><c>reproduce bench …</c>: speed and memory targets live here, never in timed tests (DESIGN.md §7 "Benchmarks").</summary>
internal static class BenchCommand
{
    public const string Name = "bench";

    public static Command Create()
    {
        var command = new Command(Name, "benchmarks");
        command.Subcommands.Add(Plan());
        command.Subcommands.Add(Preprocess());
        command.Subcommands.Add(PretrainBench.Create());
        command.Subcommands.Add(CellsBench.Create());
        command.Subcommands.Add(ViewsBench.Create());
        return command;
    }

    /// <summary><see cref="PreprocessBenchmark"/> on a synthetic LIDC tree of 512² slices (generated unless <c>--tree</c> names one), with the reference's command line.</summary>
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
            var root = result.GetValue(tree) ?? Path.Combine(Path.GetTempPath(), $"reproduce-bench-lidc-{Environment.ProcessId}");
            if (result.GetValue(tree) is null)
            {
                var generated = PreprocessBenchmark.GenerateTree(root, result.GetValue(slices));
                Console.WriteLine($"generated {generated} synthetic LIDC slices of 512 × 512 in {root}");
            }

            var timing = PreprocessBenchmark.Run(root, result.GetValue(size), TimeProvider.System);
            var cores = timing.Pinned ? "one CPU (pinned)" : "one worker thread (this platform cannot pin)";
            Console.WriteLine($"reproduce: {timing.Slices} slices in {timing.Elapsed.TotalSeconds:0.00} s = {timing.SlicesPerSecond:0.0} slices/s on {cores}; peak working set {timing.PeakBytes >> 20} MB");
            Console.WriteLine($"reference: taskset -c 0 /usr/bin/python3 bench/preprocess_pydicom.py {root} {result.GetValue(size)}   (target: this command at least 5 × faster)");
            if (result.GetValue(tree) is null)
            {
                Console.WriteLine($"the tree is kept for the reference run; delete {root} afterwards");
            }

            return 0;
        });
        return command;
    }

    /// <summary><see cref="PlanBenchmark"/> on a manifest (default: the paper grid).</summary>
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
            var timings = PlanBenchmark.Run(path, MethodRegistry.Catalog, Composition.PipelineStages.Create(), new RuntimeFingerprint("cpu", TorchRuntime.ManagedVersion), result.GetValue(repeats), TimeProvider.System);
            var plan = timings.Plan;
            Console.WriteLine($"manifest {path}: {plan.Entries.Count} cells ({string.Join(", ", plan.Stages.Select(s => $"{plan.Count(s)} {s}"))})");
            Console.WriteLine($"load + validate: {timings.Load.TotalMilliseconds:0.0} ms (first, cold)");
            Console.WriteLine($"plan (grid + keys + cache lookups): median {timings.Median.TotalMilliseconds:0.00} ms, min {timings.Plans[0].TotalMilliseconds:0.00} ms, max {timings.Plans[^1].TotalMilliseconds:0.00} ms over {timings.Plans.Count} runs (target < 500 ms)");
            return 0;
        });
        return command;
    }
}
