using Reproduce.Cli.Commands;
using Reproduce.Cli.Composition;
using Reproduce.Core.Cache;
using Reproduce.Core.Execution;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Learning.Runtime;
using TorchSharp;

namespace Reproduce.Cli.Tests;

/// <summary>Runs alone: it measures the whole process's heaps, which any test running beside it would move.</summary>
[CollectionDefinition(nameof(CellMemoryTests), DisableParallelization = true)]
public sealed class CellMemoryCollection;

/// <summary>
/// A cell gives back everything it allocated: pre-training and fine-tuning cells of experiments/ci.yaml run one
/// after another in this process, with the executor the CLI uses, and after each one the native heap in use, the
/// managed heap and the tensors alive on the cell's thread are back where they were.
/// </summary>
[Collection(nameof(CellMemoryTests))]
public sealed class CellMemoryTests : IDisposable
{
    // The first cell of each stage warms libtorch's and oneDNN's caches for its shapes (kernels, primitives): they stay,
    // once. The first fine-tuning cell kept 5-9 MB over a pre-training cell's; the next ones keep nothing.
    private const long FirstCellAllowance = 128L << 20;

    private const long NativeTolerance = 8L << 20;
    private const long ManagedTolerance = 8L << 20;

    private static readonly string[] RootVariables = ["REPRODUCE_CACHE", "REPRODUCE_DATA", "REPRODUCE_RESULTS"];

    private readonly string root = Path.Combine(Path.GetTempPath(), "reproduce-cell-memory", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> saved = RootVariables.ToDictionary(v => v, Environment.GetEnvironmentVariable);

    [Fact]
    public async Task PretrainAndFinetuneCellsLeaveTheHeapsAndLiveTensorsAsTheyFoundThem()
    {
        Assert.True(NativeHeap.BytesInUse() is not null, "the native heap is measured with glibc's mallinfo2 (glibc 2.33 or later)");
        foreach (var variable in RootVariables)
        {
            Environment.SetEnvironmentVariable(variable, Path.Combine(root, variable));
        }

        var session = Session.Open(Path.Combine(CliProcess.RepositoryRoot, "experiments", "ci.yaml"), "cpu");
        var filter = CellFilter.Create(
            new Dictionary<string, IReadOnlyList<string>> { ["method"] = ["byol"], ["task"] = ["organsmnist"] },
            [StageNames.Pretrain, StageNames.Finetune]);
        var plan = session.Plan(filter, force: false);
        var observer = new MeasuringObserver();
        var settings = RunCommand.Settings("cpu", workers: 1, threads: 1, session.Manifest.Pretrain.CheckpointEvery);
        var executor = new LocalExecutor(session.Stages, session.Cache, session.Roots, settings, observer, TimeProvider.System, Provenance.Collect(session.RepositoryRoot));

        var report = await executor.RunAsync(plan, CancellationToken.None);

        Assert.True(report.ExitCode == 0, report.SummaryTable() + string.Join('\n', report.Outcomes.Select(o => o.Error?.ToString())));
        var cells = observer.Cells;
        Assert.Equal(["pretrain", "finetune", "finetune", "finetune", "finetune"], cells.Select(c => c.Stage));
        var lines = string.Join('\n', cells.Select(c => c.ToString()));
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            var allowance = cells.FindIndex(c => c.Stage == cell.Stage) == i ? FirstCellAllowance : NativeTolerance;
            Assert.True(cell.NativeAfter - cell.NativeBefore <= allowance, $"cell {i} kept {(cell.NativeAfter - cell.NativeBefore) >> 20} MB of native heap:\n{lines}");
            Assert.True(cell.ManagedAfter - cell.ManagedBefore <= ManagedTolerance, $"cell {i} kept {(cell.ManagedAfter - cell.ManagedBefore) >> 20} MB of managed heap:\n{lines}");
            Assert.True(cell.SameThread, $"cell {i} finished on another thread than it started: its live tensors cannot be counted:\n{lines}");
            if (cell.Stage == StageNames.Finetune)
            {
                // Pre-training's views are made on prefetch threads and disposed on the cell's: only fine-tuning
                // creates and disposes every tensor on one thread.
                Assert.True(cell.LiveTensorsAfter == cell.LiveTensorsBefore, $"cell {i} left {cell.LiveTensorsAfter - cell.LiveTensorsBefore} tensors alive:\n{lines}");
            }
        }

        Assert.True(cells[^1].NativeAfter - cells[1].NativeAfter <= NativeTolerance, $"the native heap grew from cell to cell:\n{lines}");
    }

    public void Dispose()
    {
        foreach (var (variable, value) in saved)
        {
            Environment.SetEnvironmentVariable(variable, value);
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS temp cleaner gets what is left.
        }
    }

    private sealed record CellMemory(string Stage, long NativeBefore, long ManagedBefore, long LiveTensorsBefore, int Thread)
    {
        public long NativeAfter { get; set; }

        public long ManagedAfter { get; set; }

        public long LiveTensorsAfter { get; set; }

        public bool SameThread { get; set; }

        public override string ToString() =>
            $"{Stage}: native {NativeBefore >> 20} → {NativeAfter >> 20} MB, managed {ManagedBefore >> 20} → {ManagedAfter >> 20} MB, live tensors {LiveTensorsBefore} → {LiveTensorsAfter}";
    }

    /// <summary>Samples the heaps, after a full collection, around every computed cell that uses TorchSharp.</summary>
    private sealed class MeasuringObserver : IExecutionObserver
    {
        private readonly Dictionary<string, CellMemory> open = [];

        public List<CellMemory> Cells { get; } = [];

        public void CellStarted(PlanEntry entry)
        {
            if (entry.Cell.Stage is StageNames.Pretrain or StageNames.Finetune)
            {
                var (native, managed) = Heaps();
                open[entry.Key] = new CellMemory(entry.Cell.Stage, native, managed, LiveTensors(), Environment.CurrentManagedThreadId);
            }
        }

        public ICellProgress ProgressOf(PlanEntry entry) => SilentProgress.Instance;

        public void CellFinished(CellOutcome outcome)
        {
            if (open.Remove(outcome.Entry.Key, out var cell))
            {
                (cell.NativeAfter, cell.ManagedAfter) = Heaps();
                cell.LiveTensorsAfter = LiveTensors();
                cell.SameThread = cell.Thread == Environment.CurrentManagedThreadId;
                Cells.Add(cell);
            }
        }

        public void WaitingForLock(PlanEntry entry, LockOwner? holder)
        {
        }

        private static long LiveTensors() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        /// <summary>
        /// After a full collection and the finalizers it queues, so a tensor nobody references (freed, if late, by
        /// its finalizer) does not count, and one still referenced does.
        /// </summary>
        private static (long Native, long Managed) Heaps()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var managed = GC.GetTotalMemory(forceFullCollection: true);
            return (NativeHeap.BytesInUse()!.Value, managed);
        }
    }
}
