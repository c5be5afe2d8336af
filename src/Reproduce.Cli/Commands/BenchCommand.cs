using System.CommandLine;
using System.Diagnostics;
using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Errors;
using Reproduce.Core.Execution;
using Reproduce.Core.Keys;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Data.Datasets;
using Reproduce.Data.Preprocessing;
using Reproduce.Data.Store;
using Reproduce.Data.Synthetic;
using Reproduce.Learning;
using Reproduce.Learning.Augmentations;
using Reproduce.Learning.Methods;
using Reproduce.Learning.Models;
using Reproduce.Learning.Pretraining;
using Reproduce.Learning.Runtime;
using TorchSharp;

namespace Reproduce.Cli.Commands;

/// <summary><c>reproduce bench …</c>: speed and memory targets live here, never in timed tests.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "benchmarks");
        command.Subcommands.Add(Plan());
        command.Subcommands.Add(Preprocess());
        command.Subcommands.Add(Pretrain());
        command.Subcommands.Add(CellsBench.Create());
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
                using var peak = new PeakMemory(process);
                var watch = Stopwatch.StartNew();
                var description = Once();
                watch.Stop();
                var peakBytes = peak.Stop();
                var cores = pinned ? "one CPU (pinned)" : "one worker thread (this platform cannot pin)";
                Console.WriteLine($"reproduce: {description.Count} slices in {watch.Elapsed.TotalSeconds:0.00} s = {description.Count / watch.Elapsed.TotalSeconds:0.0} slices/s on {cores}; peak working set {peakBytes / (1 << 20)} MB");
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

    /// <summary>
    /// Pre-training speed (DESIGN.md §7 "Benchmarks"): the training step only — forward, backward, optimizer
    /// step, EMA/queue/prototype updates — on random batches generated once, augmentation excluded, with
    /// the method's reference hyper-parameters (MoCo's queue 65536, SwAV's 3000 prototypes and small crops of
    /// round(size·96/224) px). Images/s counts the B distinct images of a step. Prints the command that runs
    /// the same step in PyTorch (bench/pretrain_torch.py).
    /// </summary>
    private static Command Pretrain()
    {
        var method = new Option<string>("--method") { Description = "byol, mocov2, swav or spark", Required = true };
        var arch = new Option<string>("--arch") { Description = "resnet18 or resnet50", DefaultValueFactory = _ => ResNetOptions.ResNet50 };
        var size = new Option<int>("--size") { Description = "global view size in pixels", DefaultValueFactory = _ => 224 };
        var batch = new Option<int>("--batch") { Description = "images per step", DefaultValueFactory = _ => 32 };
        var threads = new Option<int>("--threads") { Description = "TorchSharp intra-op threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var steps = new Option<int>("--steps") { Description = "timed steps", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "untimed steps first", DefaultValueFactory = _ => 3 };
        var command = new Command("pretrain", "time one method's training step on random batches (CPU)");
        foreach (var option in new Option[] { method, arch, size, batch, threads, steps, warmup })
        {
            command.Options.Add(option);
        }

        command.SetAction(result =>
        {
            var (id, network, side, images) = (result.GetValue(method)!, result.GetValue(arch)!, result.GetValue(size), result.GetValue(batch));
            var descriptor = MethodRegistry.Catalog.Find(id) ?? throw new UsageException($"unknown method '{id}' ({string.Join(", ", MethodRegistry.Catalog.Ids)})");
            var spec = MethodSpec.Defaults(descriptor).With("batch_size", images);
            var (timed, untimed) = (Math.Max(1, result.GetValue(steps)), Math.Max(0, result.GetValue(warmup)));
            var threadCount = Math.Max(1, result.GetValue(threads));
            ComputeDevice.Prepare("cpu", threadCount);
            using var random = new CellRandom(seed: 0);
            using var model = MethodRegistry.Create(spec, new ResNetOptions(network), side, random);
            // A long nominal run, so every schedule is past its warm-up checks; the rates do not change the cost.
            using var recipe = model.CreateRecipe(stepsPerEpoch: 1000, totalSteps: 1_000_000);
            var views = MethodViews.Create(spec, side, PretrainStage.InputChannels)
                .Select(v => torch.rand([images, v.OutputChannels, v.OutputSize, v.OutputSize], generator: random.Init).DetachFromDisposeScope())
                .ToArray();
            model.State.train();
            void Step(long step) => PretrainingStep.Run(model, recipe, views, new TrainingProgress(step, 1_000_000, 1000));

            for (var step = 0; step < untimed; step++)
            {
                Step(step);
            }

            using var process = Process.GetCurrentProcess();
            using var peak = new PeakMemory(process);
            var watch = Stopwatch.StartNew();
            for (var step = 0; step < timed; step++)
            {
                Step(untimed + step);
            }

            watch.Stop();
            var peakBytes = peak.Stop();
            Console.WriteLine($"reproduce (TorchSharp {TorchRuntime.ManagedVersion}) {id} {network} {side}px batch {images} threads {threadCount}: {timed * images / watch.Elapsed.TotalSeconds:0.00} images/s ({timed} steps in {watch.Elapsed.TotalSeconds:0.0} s); peak working set {peakBytes / (1 << 20)} MB");
            Console.WriteLine($"reference: /usr/bin/python3 bench/pretrain_torch.py --method {id} --arch {network} --size {side} --batch {images} --threads {threadCount} --steps {timed} --warmup {untimed}   (target: at least as fast)");
            foreach (var view in views)
            {
                view.Dispose();
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

    /// <summary>The peak working set of a process while a measurement runs, sampled every 10 ms.</summary>
    private sealed class PeakMemory : IDisposable
    {
        private readonly Process process;
        private readonly Timer sampler;
        private long peak;

        public PeakMemory(Process process)
        {
            this.process = process;
            sampler = new Timer(_ => Sample(), null, 0, 10);
        }

        /// <summary>Stops sampling, waiting for a sample in flight, and returns the peak in bytes.</summary>
        public long Stop()
        {
            using (var stopped = new ManualResetEvent(false))
            {
                sampler.Dispose(stopped);
                stopped.WaitOne();
            }

            Sample();
            return Interlocked.Read(ref peak);
        }

        public void Dispose() => sampler.Dispose();

        private void Sample()
        {
            lock (process)
            {
                process.Refresh();
                var current = process.WorkingSet64;
                if (current > Interlocked.Read(ref peak))
                {
                    Interlocked.Exchange(ref peak, current);
                }
            }
        }
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
