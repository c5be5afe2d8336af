using Reproduce.Core.Cache;
using Reproduce.Core.Errors;
using Reproduce.Core.Execution;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Data.Store;
using Reproduce.Learning.Finetuning;
using Reproduce.Learning.Runtime;

namespace Reproduce.Learning.Benchmarks;

/// <summary>
/// Memory from cell to cell (DESIGN.md §7 "Benchmarks"): runs the first N selected fine-tuning cells of a plan in this
/// one process and samples its memory after cells 1, 3, 9, … and the last. A run whose memory grows with the number of
/// cells shows as a peak that climbs: the target is a peak after the last cell within <see cref="TargetGrowth"/>× the
/// peak after the first. The first cell's peak is then accounted for part by part (<see cref="FinetuneMemory"/>): the
/// target is a peak within <see cref="TargetAccount"/>× the account.
/// </summary>
public static class CellsMemoryBenchmark
{
    public const double TargetGrowth = 1.25;
    public const double TargetAccount = 1.5;

    /// <summary>The selected fine-tuning cells of <paramref name="plan"/>, in plan order.</summary>
    public static IReadOnlyList<PlanEntry> FinetuneCells(Plan plan) => [.. plan.Entries.Where(e => e.Selected && e.Cell.Stage == StageNames.Finetune)];

    /// <summary>
    /// Runs the first <paramref name="count"/> of <see cref="FinetuneCells"/> (and the cells they need) with the executor
    /// <paramref name="executorOn"/> makes around an observer; <paramref name="sampled"/> hears each memory sample as it is taken.
    /// </summary>
    public static async Task<CellsMemoryResult> RunAsync(
        Plan plan, int count, CacheStore cache, int threads, Func<IExecutionObserver, IExecutor> executorOn, IExecutionObserver observer, Action<MemorySample> sampled, CancellationToken cancellationToken)
    {
        var finetune = FinetuneCells(plan);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, finetune.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var kept = finetune.Take(count).ToHashSet();
        plan = plan with { Entries = [.. plan.Entries.Where(e => e.Cell.Stage != StageNames.Finetune || kept.Contains(e))] };
        // libtorch loaded and its kernels checked before the first cell, so the process before it holds them.
        ComputeDevice.Prepare("cpu", threads);
        var memory = new MemoryObserver(observer, count, sampled);
        var report = await executorOn(memory).RunAsync(plan, cancellationToken);
        return report.ExitCode != ExitCodes.Success
            ? new CellsMemoryResult(report, [], 0, null)
            : new CellsMemoryResult(report, memory.Peaks, memory.BeforeFirst, AccountOf(cache, plan, finetune[0]));
    }

    /// <summary>What one fine-tuning cell holds, part by part: its weights, gradients and optimizer state for its images.</summary>
    private static FinetuneMemory AccountOf(CacheStore cache, Plan plan, PlanEntry cell)
    {
        var details = cache.TryReadComplete(StageNames.Finetune, cell.Key)!.Details;
        var images = new[] { "train_images", "validation_images", "test_images" }.Sum(name => details[name]!.GetValue<long>());
        var preprocess = cell.Cell.Upstream.Single(u => u.Stage == StageNames.Preprocess);
        using var store = TensorStore.Open(cache.CellDirectory(StageNames.Preprocess, plan.Keys.KeyOf(preprocess)));
        return FinetuneMemory.Of(FinetuneSettings.FromParameters(cell.Cell.Parameters), images, store.Width);
    }

    /// <summary>Passes every event on, and after each computed fine-tuning cell samples the process's memory.</summary>
    private sealed class MemoryObserver(IExecutionObserver inner, int total, Action<MemorySample> sampled) : IExecutionObserver
    {
        public List<long> Peaks { get; } = [];

        /// <summary>The resident set when the first fine-tuning cell started.</summary>
        public long BeforeFirst { get; private set; }

        public void CellStarted(PlanEntry entry)
        {
            if (entry.Cell.Stage == StageNames.Finetune && BeforeFirst == 0)
            {
                BeforeFirst = ProcessMemory.ResidentBytes() ?? 0;
            }

            inner.CellStarted(entry);
        }

        public ICellProgress ProgressOf(PlanEntry entry) => inner.ProgressOf(entry);

        public void WaitingForLock(PlanEntry entry, LockOwner? holder) => inner.WaitingForLock(entry, holder);

        public void CellFinished(CellOutcome outcome)
        {
            inner.CellFinished(outcome);
            if (outcome.Entry.Cell.Stage != StageNames.Finetune || outcome.Kind != OutcomeKind.Computed)
            {
                return;
            }

            var peak = ProcessMemory.PeakResidentBytes() ?? 0;
            Peaks.Add(peak);
            if (IsPowerOfThree(Peaks.Count) || Peaks.Count == total)
            {
                sampled(new MemorySample(Peaks.Count, peak, ProcessMemory.ResidentBytes() ?? 0, NativeHeap.BytesInUse(), GC.GetTotalMemory(forceFullCollection: false)));
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

/// <summary>The process's memory after <see cref="Cells"/> fine-tuning cells, in bytes; the native heap is null where it cannot be read.</summary>
public sealed record MemorySample(int Cells, long PeakResident, long Resident, long? NativeHeap, long ManagedHeap);

/// <summary>
/// What <see cref="CellsMemoryBenchmark"/> found: the run's report, the peak resident set after each fine-tuning cell,
/// the resident set before the first, and the first cell's account (none of these when the run failed).
/// </summary>
public sealed record CellsMemoryResult(ExecutionReport Report, IReadOnlyList<long> Peaks, long BeforeFirst, FinetuneMemory? FirstCell)
{
    public double Growth => (double)Peaks[^1] / Peaks[0];

    /// <summary>The first cell's accounted memory: the process before it plus the parts it holds.</summary>
    public long Accounted => BeforeFirst + FirstCell!.Total;
}
