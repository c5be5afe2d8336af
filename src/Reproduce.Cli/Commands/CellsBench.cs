using System.CommandLine;
using System.Globalization;
using Reproduce.Cli.Composition;
using Reproduce.Cli.Progress;
using Reproduce.Core.Errors;
using Reproduce.Core.Execution;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Data.Store;
using Reproduce.Learning.Finetuning;
using Reproduce.Learning.Runtime;

namespace Reproduce.Cli.Commands;

/// <summary>
/// <c>reproduce bench cells</c>: memory from cell to cell. Runs <c>--count</c> fine-tuning cells of one task and init
/// of a manifest (default: the quickstart's OrganSMNIST from scratch) in this one process, on a fresh temporary cache,
/// data and results root, and after cells 1, 3, 9, … and the last prints the peak resident set so far, the resident
/// set, the native heap in use and the managed heap. A run whose memory grows with the number of cells shows as a
/// peak that climbs; the target is a peak after the last cell within 1.25× the peak after the first. Then accounts
/// for the first cell's peak part by part (<see cref="FinetuneMemory"/>): the target is a peak within 1.5× the account.
/// </summary>
internal static class CellsBench
{
    private const double TargetGrowth = 1.25;
    private const double TargetAccount = 1.5;

    public static Command Create()
    {
        var count = new Option<int>("--count") { Description = "fine-tuning cells to run", DefaultValueFactory = _ => 9 };
        var manifest = new Option<string>("--manifest") { Description = "the manifest whose cells run", DefaultValueFactory = _ => "experiments/synthetic.yaml" };
        var task = new Option<string>("--task") { Description = "the cells' task", DefaultValueFactory = _ => "organsmnist" };
        var init = new Option<string>("--init") { Description = "the cells' init (scratch needs no pre-training)", DefaultValueFactory = _ => "scratch" };
        var threads = new Option<int>("--threads") { Description = "compute threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("cells", "peak memory after 1, 3, 9, … fine-tuning cells in one process");
        foreach (var option in new Option[] { count, manifest, task, init, threads })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var wanted = result.GetValue(count);
            if (wanted < 1)
            {
                throw new UsageException($"--count {wanted}: at least 1");
            }

            var root = Path.Combine(Path.GetTempPath(), $"reproduce-bench-cells-{Environment.ProcessId}");
            foreach (var (variable, folder) in new[] { ("REPRODUCE_CACHE", "cache"), ("REPRODUCE_DATA", "data"), ("REPRODUCE_RESULTS", "results") })
            {
                Environment.SetEnvironmentVariable(variable, Path.Combine(root, folder));
            }

            try
            {
                var session = Session.Open(result.GetValue(manifest)!, "cpu");
                var filter = CellFilter.Create(
                    new Dictionary<string, IReadOnlyList<string>> { ["task"] = [result.GetValue(task)!], ["init"] = [result.GetValue(init)!] },
                    [Stages.Finetune]);
                var plan = session.Plan(filter, force: false);
                var finetune = plan.Entries.Where(e => e.Selected && e.Cell.Stage == Stages.Finetune).ToList();
                if (finetune.Count < wanted)
                {
                    throw new UsageException($"--count {wanted}: {session.Manifest.Experiment} has {finetune.Count} fine-tuning cells of task {result.GetValue(task)} and init {result.GetValue(init)}");
                }

                var kept = finetune.Take(wanted).ToHashSet();
                plan = plan with { Entries = [.. plan.Entries.Where(e => e.Cell.Stage != Stages.Finetune || kept.Contains(e))] };
                var settings = RunCommand.Settings("cpu", workers: 1, result.GetValue(threads), session.Manifest.Pretrain.CheckpointEvery);
                // libtorch loaded and its kernels checked before the first cell, so the process before it holds them.
                ComputeDevice.Prepare("cpu", settings.Threads);
                var clock = TimeProvider.System;
                var observer = new MemoryObserver(new LineObserver(Console.Out, clock), wanted);
                var executor = new LocalExecutor(session.Stages, session.Cache, session.Roots, settings, observer, clock, Provenance.Collect(session.RepositoryRoot));
                var report = await executor.RunAsync(plan, cancellationToken);
                if (report.ExitCode != ExitCodes.Success)
                {
                    Console.Error.WriteLine(report.SummaryTable());
                    return report.ExitCode;
                }

                var (first, last) = (observer.Peaks[0], observer.Peaks[^1]);
                Console.WriteLine($"peak after {wanted} cells / after 1: {(double)last / first:0.00} (target: at most {TargetGrowth:0.00})");
                PrintAccount(session, finetune[0], observer.BeforeFirst, first);
                return ExitCodes.Success;
            }
            finally
            {
                // A refused --count ends before any cell has made the folder.
                if (Directory.Exists(root))
                {
                    Directory.Delete(root, recursive: true);
                }
            }
        });
        return command;
    }

    /// <summary>The first cell's peak against what it holds part by part (<see cref="FinetuneMemory"/>) on top of the process before it.</summary>
    private static void PrintAccount(Session session, PlanEntry cell, long baseline, long peak)
    {
        var details = session.Cache.TryReadComplete(Stages.Finetune, cell.Key)!.Details;
        var images = new[] { "train_images", "validation_images", "test_images" }.Sum(name => details[name]!.GetValue<long>());
        var preprocess = cell.Cell.Upstream.Single(u => u.Stage == Stages.Preprocess);
        using var store = TensorStore.Open(session.Cache.CellDirectory(Stages.Preprocess, session.Keys.KeyOf(preprocess)));
        var parts = FinetuneMemory.Of(FinetuneSettings.FromParameters(cell.Cell.Parameters), images, store.Width);
        var account = baseline + parts.Total;
        Console.WriteLine(
            $"one cell, accounted: the process before it {Megabytes(baseline)} MB + weights {Megabytes(parts.Weights)} + gradients {Megabytes(parts.Gradients)} " +
            $"+ optimizer state {Megabytes(parts.OptimizerState)} + best-epoch snapshot {Megabytes(parts.Snapshot)} + images {Megabytes(parts.Data)} " +
            $"+ a training batch's activations {Megabytes(parts.Activations)} = {Megabytes(account)} MB; its peak RSS {Megabytes(peak)} MB is {(double)peak / account:0.00}× that (target: at most {TargetAccount:0.0})");
    }

    private static long Megabytes(long bytes) => bytes >> 20;

    /// <summary>Passes every event on, and after each computed fine-tuning cell samples the process's memory.</summary>
    private sealed class MemoryObserver(IExecutionObserver inner, int total) : IExecutionObserver
    {
        public List<long> Peaks { get; } = [];

        /// <summary>The resident set when the first fine-tuning cell started.</summary>
        public long BeforeFirst { get; private set; }

        public void CellStarted(PlanEntry entry)
        {
            if (entry.Cell.Stage == Stages.Finetune && BeforeFirst == 0)
            {
                BeforeFirst = ProcessMemory.ResidentBytes() ?? 0;
            }

            inner.CellStarted(entry);
        }

        public ICellProgress ProgressOf(PlanEntry entry) => inner.ProgressOf(entry);

        public void WaitingForLock(PlanEntry entry, Core.Cache.LockOwner? holder) => inner.WaitingForLock(entry, holder);

        public void CellFinished(CellOutcome outcome)
        {
            inner.CellFinished(outcome);
            if (outcome.Entry.Cell.Stage != Stages.Finetune || outcome.Kind != OutcomeKind.Computed)
            {
                return;
            }

            var (peak, resident) = (ProcessMemory.PeakResidentBytes() ?? 0, ProcessMemory.ResidentBytes() ?? 0);
            Peaks.Add(peak);
            var done = Peaks.Count;
            if (IsPowerOfThree(done) || done == total)
            {
                var managed = GC.GetTotalMemory(forceFullCollection: false);
                Console.WriteLine(
                    $"after {done} cell{(done == 1 ? "" : "s")}: peak RSS {Megabytes(peak)} MB, RSS {Megabytes(resident)} MB, " +
                    $"native heap in use {(NativeHeap.BytesInUse() is { } native ? Megabytes(native).ToString(CultureInfo.InvariantCulture) : "?")} MB, managed heap {Megabytes(managed)} MB");
            }
        }

        private static bool IsPowerOfThree(int n)
        {
            while (n % 3 == 0)
            {
                n /= 3;
            }

            return n == 1;
        }

    }
}
