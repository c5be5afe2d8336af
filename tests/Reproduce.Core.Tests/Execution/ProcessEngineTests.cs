using System.Diagnostics;
using Reproduce.Core.Cache;
using Reproduce.Core.Keys;
using Reproduce.Core.Planning;
using Reproduce.Core.TestHost;

namespace Reproduce.Core.Tests.Execution;

/// <summary>
/// The engine against real processes (the TestHost executable): a kill -9 in the middle of a cell,
/// and two processes racing on one cache.
/// </summary>
public class ProcessEngineTests
{
    private const int Width = 3;

    private static Process StartHost(string cache, string journal, int delayMs, string? gate = null)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "Reproduce.Core.TestHost.dll");
        var start = new ProcessStartInfo("dotnet", [host, cache, Width.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["REPRODUCE_TEST_JOURNAL"] = journal;
        start.Environment["REPRODUCE_TEST_DELAY_MS"] = delayMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["REPRODUCE_TEST_GATE"] = gate ?? "";
        return Process.Start(start)!;
    }

    private static async Task<int> FinishAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    private static string[] JournalLines(string journal) =>
        Directory.Exists(journal) ? Directory.GetFiles(journal).Select(File.ReadAllText).ToArray() : [];

    private static Plan PlanOf(CacheStore cache)
    {
        var graph = TestGraphs.Fan(Width);
        return Planner.Create(graph, new CellKeys(graph, TestGraphs.Stages(), TestGraphs.Runtime), cache, CellFilter.All, force: false);
    }

    [Fact]
    public async Task AProcessKilledMidCellLeavesNoPartialCellAndTheRerunCompletes()
    {
        using var temp = new TempDirectory();
        var cacheRoot = temp.Combine("cache");
        var journal = temp.Combine("journal");
        using (var doomed = StartHost(cacheRoot, journal, delayMs: 120_000))
        {
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (JournalLines(journal).Length == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.NotEmpty(JournalLines(journal));
            doomed.Kill(entireProcessTree: true);
            await doomed.WaitForExitAsync();
        }

        var cache = new CacheStore(cacheRoot);
        var started = JournalLines(journal).Select(l => l.Split(' ')[1]).ToHashSet();
        Assert.All(PlanOf(cache).Entries, e => Assert.Null(cache.TryReadComplete(e.Cell.Stage, e.Key)));
        Assert.All(started, key => Assert.True(cache.HasWork("source", key)));
        Assert.All(PlanOf(cache).Entries.Where(e => started.Contains(e.Key)), e => Assert.Equal(CellStatus.Incomplete, e.Status));

        using var rerun = StartHost(cacheRoot, journal, delayMs: 0);
        Assert.Equal(0, await FinishAsync(rerun));

        var plan = PlanOf(cache);
        Assert.All(plan.Entries, e => Assert.Equal(CellStatus.Cached, e.Status));
        Assert.All(plan.Entries, e => Assert.False(cache.HasWork(e.Cell.Stage, e.Key)));
        var total = plan.Entries.Single(e => e.Cell.Address.Text == "sum[index=total]");
        Assert.Equal("6", File.ReadAllText(Path.Combine(cache.CellDirectory("sum", total.Key), ValueStage.ValueFile)));
    }

    /// <summary>
    /// SIGKILL at moments spread over a whole run (start-up, inside cells, at their publish, at the run record's
    /// cleanup): whatever the moment, no published cell is partial, and the rerun completes every cell with the same
    /// result, no lock held, no work folder and no temporary file in a cell.
    /// </summary>
    [Fact]
    public async Task AProcessKilledAtAnyMomentLeavesNoPartialCellAndTheRerunCompletes()
    {
        const int Moments = 12;
        using var temp = new TempDirectory();
        var timing = Stopwatch.StartNew();
        using (var whole = StartHost(temp.Combine("timing"), temp.Combine("timing-journal"), delayMs: 20))
        {
            Assert.Equal(0, await FinishAsync(whole));
        }

        var duration = timing.Elapsed;
        for (var moment = 0; moment < Moments; moment++)
        {
            var cacheRoot = temp.Combine($"cache{moment}");
            using (var doomed = StartHost(cacheRoot, temp.Combine($"journal{moment}"), delayMs: 20))
            {
                await Task.Delay(duration * moment / Moments);
                doomed.Kill(entireProcessTree: true);
                await doomed.WaitForExitAsync();
            }

            var cache = new CacheStore(cacheRoot);
            foreach (var entry in PlanOf(cache).Entries.Where(e => Directory.Exists(cache.CellDirectory(e.Cell.Stage, e.Key))))
            {
                Assert.True(cache.TryReadComplete(entry.Cell.Stage, entry.Key) is not null, $"killed at {moment}/{Moments} of a run: {entry.Cell.Address.Text} is published partial");
            }

            using var rerun = StartHost(cacheRoot, temp.Combine($"journal{moment}"), delayMs: 0);
            Assert.Equal(0, await FinishAsync(rerun));
            var plan = PlanOf(cache);
            Assert.All(plan.Entries, e => Assert.Equal(CellStatus.Cached, e.Status));
            var total = plan.Entries.Single(e => e.Cell.Address.Text == "sum[index=total]");
            Assert.Equal("6", File.ReadAllText(Path.Combine(cache.CellDirectory("sum", total.Key), ValueStage.ValueFile)));
            // The kernel released the killed run's locks. Its owner notes and half-written temporaries outside the cells
            // may stay: a note counts only while its lock is held, and `unlock --stale` sweeps them.
            Assert.All(cache.Locks(), l => Assert.False(l.Held, $"killed at {moment}/{Moments} of a run: {l.Key} is still locked"));
            Assert.All(plan.Entries, e => Assert.False(cache.HasWork(e.Cell.Stage, e.Key)));
            var inCells = plan.Entries
                .SelectMany(e => Directory.GetFiles(cache.CellDirectory(e.Cell.Stage, e.Key), "*", SearchOption.AllDirectories))
                .Where(f => f.EndsWith(".tmp", StringComparison.Ordinal) || f.EndsWith(".owner", StringComparison.Ordinal));
            Assert.Empty(inCells);
        }
    }

    [Fact]
    public async Task TwoProcessesOnOneCacheComputeEachCellOnce()
    {
        using var temp = new TempDirectory();
        var cacheRoot = temp.Combine("cache");
        var journal = temp.Combine("journal");

        var gate = temp.Combine("go");
        using var first = StartHost(cacheRoot, journal, delayMs: 500, gate);
        using var second = StartHost(cacheRoot, journal, delayMs: 500, gate);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (Directory.GetFiles(temp.Path, "go.*.ready").Length < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        File.WriteAllText(gate, "");
        var codes = await Task.WhenAll(FinishAsync(first), FinishAsync(second));

        Assert.Equal([0, 0], codes);
        var computations = JournalLines(journal).Select(l => l.Split(' ')).ToList();
        var cells = PlanOf(new CacheStore(cacheRoot)).Entries;
        Assert.Equal(cells.Count, computations.Count);
        Assert.Equal(cells.Select(e => e.Key).Order(), computations.Select(c => c[1]).Order());
        // Both computed: a cell locked by the other process does not hold a worker while it waits.
        Assert.Equal(2, computations.Select(c => c[2]).Distinct().Count());
        Assert.All(cells, e => Assert.Equal(CellStatus.Cached, e.Status));
    }
}
