using System.Globalization;
using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Errors;
using Reproduce.Core.Execution;
using Reproduce.Core.Keys;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Core.TestHost;

namespace Reproduce.Core.Tests.Execution;

public class LocalExecutorTests
{
    private static Plan PlanOf(CellGraph graph, CacheStore cache, StageRegistry? stages = null) =>
        Planner.Create(graph, new CellKeys(graph, stages ?? TestGraphs.Stages(), TestGraphs.Runtime), cache, CellFilter.All, force: false);

    private static Task<ExecutionReport> RunAsync(Plan plan, CacheStore cache, StageRegistry? stages = null, SilentObserver? observer = null, int workers = 2, CancellationToken cancellationToken = default) =>
        new LocalExecutor(stages ?? TestGraphs.Stages(), cache, new Roots(cache.Root, cache.Root, cache.Root), new RunSettings { Workers = workers }, observer ?? new SilentObserver(), TimeProvider.System, [])
            .RunAsync(plan, cancellationToken);

    private static double ValueOf(CacheStore cache, Plan plan, string address)
    {
        var entry = plan.Entries.Single(e => e.Cell.Address.Text == address);
        return double.Parse(File.ReadAllText(Path.Combine(cache.CellDirectory(entry.Cell.Stage, entry.Key), ValueStage.ValueFile)), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task ComputesEveryCellInDependencyOrderThenFindsThemCached()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        var plan = PlanOf(TestGraphs.Fan(4), cache);

        var first = await RunAsync(plan, cache);
        var second = await RunAsync(PlanOf(TestGraphs.Fan(4), cache), cache);

        Assert.Equal((0, 9), (first.ExitCode, first.Count(OutcomeKind.Computed)));
        Assert.Equal(1 + 2 + 3 + 4, ValueOf(cache, plan, "sum[index=total]"));
        Assert.Equal((0, 9), (second.ExitCode, second.Count(OutcomeKind.Cached)));
        var meta = cache.TryReadComplete("sum", plan.Entries[^1].Key)!;
        Assert.Equal(10, meta.Metrics["value"]!.GetValue<double>());
        Assert.Equal(plan.Entries[^1].Cell.Address.Text, meta.Address);
        Assert.Equal(Environment.ProcessorCount, meta.Provenance["threads"]!.GetValue<int>());
        Assert.Equal("cpu", meta.Provenance["device"]!.GetValue<string>());
    }

    [Fact]
    public async Task AFailedCellSkipsItsDownstreamAndKeepsEverythingElse()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        var plan = PlanOf(TestGraphs.Fan(3, failing: 1), cache);

        var report = await RunAsync(plan, cache);

        var kinds = report.Outcomes.ToDictionary(o => o.Entry.Cell.Address.Text, o => o.Kind);
        Assert.Equal(OutcomeKind.Failed, kinds["sum[index=1]"]);
        Assert.Equal(OutcomeKind.Skipped, kinds["sum[index=total]"]);
        Assert.Equal(5, report.Count(OutcomeKind.Computed));
        Assert.Equal(ExitCodes.CellFailed, report.ExitCode);
        Assert.Contains("fails on purpose", report.Outcomes.Single(o => o.Kind == OutcomeKind.Failed).Describe());
        var failed = plan.Entries.Single(e => e.Cell.Address.Text == "sum[index=1]");
        Assert.False(cache.HasWork("sum", failed.Key));
        Assert.Null(cache.TryReadComplete("sum", failed.Key));
        Assert.NotNull(cache.TryReadComplete("sum", plan.Entries.Single(e => e.Cell.Address.Text == "sum[index=0]").Key));
        Assert.Contains("stage", report.SummaryTable());
    }

    [Fact]
    public async Task OnlyEnvironmentalFailuresGiveExitCode3()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        var stages = new StageRegistry([new MissingDataStage(), new ValueStage("sum")]);
        var graph = new CellGraph([new Cell(new CellAddress("source"), [], [], [])]);

        var report = await RunAsync(PlanOf(graph, cache, stages), cache, stages);

        Assert.Equal(ExitCodes.Environment, report.ExitCode);
    }

    [Fact]
    public async Task CancellationPublishesNothingPartial()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        var gate = new BlockingStage();
        var stages = new StageRegistry([gate, new ValueStage("sum")]);
        var plan = PlanOf(TestGraphs.Fan(1), cache, stages);
        using var cancel = new CancellationTokenSource();

        var running = RunAsync(plan, cache, stages, cancellationToken: cancel.Token);
        await gate.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        cancel.Cancel();
        var report = await running;

        Assert.Equal(ExitCodes.Interrupted, report.ExitCode);
        Assert.All(plan.Entries, e => Assert.Null(cache.TryReadComplete(e.Cell.Stage, e.Key)));
        Assert.False(cache.HasWork("source", plan.Entries[0].Key));
    }

    [Fact]
    public async Task ACellPublishedMeanwhileByAnotherProcessIsTakenFromTheCache()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        var stale = PlanOf(TestGraphs.Fan(2), cache);
        await RunAsync(PlanOf(TestGraphs.Fan(2), cache), cache);

        var report = await RunAsync(stale, cache);

        Assert.Equal(0, report.Count(OutcomeKind.Computed));
        Assert.Equal(stale.Entries.Count, report.Count(OutcomeKind.Cached));
    }

    [Fact]
    public async Task ALockHeldElsewhereIsWaitedFor()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        var plan = PlanOf(TestGraphs.Fan(1), cache);
        var observer = new SilentObserver();
        var held = cache.TryLock(plan.Entries[0].Key, LockOwner.Current(TimeProvider.System))!;

        var running = RunAsync(plan, cache, observer: observer);
        await Task.Delay(600);
        Assert.False(running.IsCompleted);
        held.Dispose();
        var report = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, report.ExitCode);
        Assert.Equal(1, observer.Waits);
    }

    [Fact]
    public async Task ACellsTimeIsItsOwnNotTheTimeItQueuedForAWorker()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        var clock = new SteppingClock();
        var stages = new StageRegistry([new ClockedStage(clock, TimeSpan.FromSeconds(10)), new ValueStage("sum")]);
        var plan = PlanOf(TestGraphs.Fan(3), cache, stages);

        // One worker: the three sources queue for it together, and each takes 10 s of the clock.
        var report = await new LocalExecutor(stages, cache, new Roots(cache.Root, cache.Root, cache.Root), new RunSettings { Workers = 1 }, new SilentObserver(), clock, [])
            .RunAsync(plan, CancellationToken.None);

        Assert.All(report.Outcomes.Where(o => o.Entry.Cell.Stage == "source"), o => Assert.Equal(TimeSpan.FromSeconds(10), o.Duration));
    }

    /// <summary>A clock that moves only when told to.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private long ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref ticks);

        public void Advance(TimeSpan span) => Interlocked.Add(ref ticks, span.Ticks);
    }

    /// <summary>A source stage whose every cell takes <paramref name="duration"/> of <paramref name="clock"/>.</summary>
    private sealed class ClockedStage(SteppingClock clock, TimeSpan duration) : IStage
    {
        public StageDescriptor Descriptor { get; } = new("source", 1);

        public async Task<StageResult> RunAsync(CellContext context, CancellationToken cancellationToken)
        {
            clock.Advance(duration);
            await File.WriteAllTextAsync(Path.Combine(context.WorkDirectory, ValueStage.ValueFile), "1", cancellationToken);
            return StageResult.Empty;
        }
    }

    private sealed class MissingDataStage : IStage
    {
        public StageDescriptor Descriptor { get; } = new("source", 1);

        public Task<StageResult> RunAsync(CellContext context, CancellationToken cancellationToken) =>
            throw new EnvironmentException("the data folder is missing: set DATA");
    }

    private sealed class BlockingStage : IStage
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public StageDescriptor Descriptor { get; } = new("source", 1);

        public async Task<StageResult> RunAsync(CellContext context, CancellationToken cancellationToken)
        {
            await File.WriteAllTextAsync(Path.Combine(context.WorkDirectory, "partial.txt"), "x", cancellationToken);
            Started.SetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return StageResult.Empty;
        }
    }
}
