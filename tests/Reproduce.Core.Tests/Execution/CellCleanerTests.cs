using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Execution;
using Reproduce.Core.Keys;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Core.TestHost;

namespace Reproduce.Core.Tests.Execution;

public class CellCleanerTests
{
    private static Plan PlanOf(CellGraph graph, CacheStore cache) =>
        Planner.Create(graph, new CellKeys(graph, TestGraphs.Stages(), TestGraphs.Runtime), cache, CellFilter.All, force: false);

    private static async Task<Plan> RunAsync(CellGraph graph, CacheStore cache, string root)
    {
        var executor = new LocalExecutor(TestGraphs.Stages(), cache, new Roots(root, root, root), new RunSettings(), new SilentObserver(), TimeProvider.System, []);
        Assert.Equal(0, (await executor.RunAsync(PlanOf(graph, cache), CancellationToken.None)).ExitCode);
        return PlanOf(graph, cache);
    }

    [Fact]
    public async Task RemovesEveryCachedCellOfThePlan()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(Path.Combine(temp.Path, "cache"));
        var plan = await RunAsync(TestGraphs.Fan(3), cache, temp.Path);

        var report = CellCleaner.Clean(plan, cache, LockOwner.Current(TimeProvider.System));

        Assert.Equal((plan.Entries.Count, 0), (report.Removed, report.LeftAlone.Count));
        Assert.All(plan.Entries, e => Assert.Null(cache.TryReadComplete(e.Cell.Stage, e.Key)));
    }

    [Fact]
    public async Task LeavesAloneACellARunNeedsAndOneAnotherProcessHoldsTheLockOf()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(Path.Combine(temp.Path, "cache"));
        var plan = await RunAsync(TestGraphs.Fan(3), cache, temp.Path);
        var (needed, locked) = (plan.Entries[0], plan.Entries[1]);
        var owner = LockOwner.Current(TimeProvider.System);
        using var inUse = cache.UseCells([needed.Key], owner);
        using var held = cache.TryLock(locked.Key, owner with { ProcessId = owner.ProcessId + 1 });
        Assert.NotNull(held);

        var report = CellCleaner.Clean(plan, cache, owner);

        Assert.Equal([(needed, CellLeftAlone.InUse), (locked, CellLeftAlone.Locked)], report.LeftAlone);
        Assert.Equal(plan.Entries.Count - 2, report.Removed);
        Assert.NotNull(cache.TryReadComplete(needed.Cell.Stage, needed.Key));
        Assert.NotNull(cache.TryReadComplete(locked.Cell.Stage, locked.Key));
    }
}
