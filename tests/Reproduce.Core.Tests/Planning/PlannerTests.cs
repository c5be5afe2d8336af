using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Execution;
using Reproduce.Core.Keys;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Core.TestHost;

namespace Reproduce.Core.Tests.Planning;

public class PlannerTests
{
    private static Plan PlanOf(CellGraph graph, CacheStore cache, CellFilter? filter = null, bool force = false, StageRegistry? stages = null) =>
        Planner.Create(graph, new CellKeys(graph, stages ?? TestGraphs.Stages(), TestGraphs.Runtime), cache, filter ?? CellFilter.All, force);

    private static async Task RunAsync(CellGraph graph, CacheStore cache, string root)
    {
        var executor = new LocalExecutor(TestGraphs.Stages(), cache, new Roots(root, root, root), new RunSettings(), new SilentObserver(), TimeProvider.System, []);
        var report = await executor.RunAsync(PlanOf(graph, cache), CancellationToken.None);
        Assert.Equal(0, report.ExitCode);
    }

    [Fact]
    public void AnEmptyCacheHasEveryCellMissingAndNeverComputed()
    {
        using var temp = new TempDirectory();

        var plan = PlanOf(TestGraphs.Fan(3), new CacheStore(temp.Path));

        Assert.Equal(7, plan.Entries.Count);
        Assert.All(plan.Entries, e => Assert.Equal((CellStatus.Missing, RerunReason.NeverComputed, true), (e.Status, e.Reason, e.Selected)));
        Assert.Equal(["source", "sum"], plan.Stages);
    }

    [Fact]
    public async Task AfterARunEveryCellIsCached()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        await RunAsync(TestGraphs.Fan(3), cache, temp.Path);

        var plan = PlanOf(TestGraphs.Fan(3), cache);

        Assert.All(plan.Entries, e => Assert.Equal(CellStatus.Cached, e.Status));
        Assert.Equal(0, plan.ToRun);
    }

    [Fact]
    public async Task AChangedParameterReRunsExactlyTheDependentCellsAndSaysWhy()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        await RunAsync(TestGraphs.Fan(3), cache, temp.Path);

        var plan = PlanOf(TestGraphs.Fan(3, changedValue: 10), cache);

        var toRun = plan.Entries.Where(e => e.WillRun).ToDictionary(e => e.Cell.Address.Text);
        Assert.Equal(["source[index=0]", "sum[index=0]", "sum[index=total]"], toRun.Keys.Order());
        Assert.All(toRun.Values, e => Assert.Equal(RerunReason.KeyChanged, e.Reason));
        Assert.Equal([new KeyChange("params", "value", "1", "10")], toRun["source[index=0]"].Changes);
        var upstream = Assert.Single(toRun["sum[index=0]"].Changes);
        Assert.Equal(("upstream", "source[index=0]"), (upstream.Component, upstream.Path));
        Assert.Equal("changed: params value 1 -> 10", PlanFormatter.Reason(toRun["source[index=0]"]));
    }

    [Fact]
    public async Task ACodeVersionBumpIsReportedAsACodeChange()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        await RunAsync(TestGraphs.Fan(1), cache, temp.Path);

        var plan = PlanOf(TestGraphs.Fan(1), cache, stages: TestGraphs.Stages(sumVersion: 2));

        var pair = plan.Entries.Single(e => e.Cell.Address.Text == "sum[index=0]");
        Assert.Contains(new KeyChange("code", "stage_version", "1", "2"), pair.Changes);
    }

    [Fact]
    public void AWorkDirectoryMarksTheCellIncomplete()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        var graph = TestGraphs.Fan(1);
        var first = PlanOf(graph, cache).Entries[0];
        Directory.CreateDirectory(cache.WorkDirectory(first.Cell.Stage, first.Key));

        var entry = PlanOf(graph, cache).Entries[0];

        Assert.Equal((CellStatus.Incomplete, RerunReason.Interrupted), (entry.Status, entry.Reason));
    }

    [Fact]
    public async Task FiltersSelectCellsAndBringTheirUpstreamUnforced()
    {
        using var temp = new TempDirectory();
        var cache = new CacheStore(temp.Path);
        await RunAsync(TestGraphs.Fan(3), cache, temp.Path);
        var allSums = CellFilter.Create(new Dictionary<string, IReadOnlyList<string>>(), ["sum"]);
        var onePair = new CellFilter { Values = new Dictionary<string, IReadOnlyList<string>> { ["index"] = ["1"] }, Stages = ["sum"] };

        var plan = PlanOf(TestGraphs.Fan(3), cache, onePair, force: true);

        Assert.Equal(["source[index=1]", "sum[index=1]"], plan.Entries.Select(e => e.Cell.Address.Text));
        Assert.Equal((CellStatus.Cached, false), (plan.Entries[0].Status, plan.Entries[0].Selected));
        Assert.Equal((CellStatus.Forced, true), (plan.Entries[1].Status, plan.Entries[1].Selected));
        Assert.Equal(4, PlanOf(TestGraphs.Fan(3), cache, allSums).Entries.Count(e => e.Selected));
    }

    [Fact]
    public void EveryReasonHasText()
    {
        var cell = TestGraphs.Fan(1).Cells[0];
        foreach (var reason in Enum.GetValues<RerunReason>())
        {
            var entry = new PlanEntry(cell, new string('0', 64), CellStatus.Missing, reason, [new KeyChange("params", "x", null, "1")], true);
            Assert.False(string.IsNullOrWhiteSpace(PlanFormatter.Reason(entry)));
        }

        Assert.All(Enum.GetValues<CellStatus>(), s => Assert.False(string.IsNullOrWhiteSpace(PlanFormatter.Status(s))));
    }
}
