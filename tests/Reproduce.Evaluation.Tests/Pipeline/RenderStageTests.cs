using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Json;
using Reproduce.Core.Keys;
using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;
using Reproduce.Evaluation.Aggregation;
using Reproduce.Evaluation.Rendering;

namespace Reproduce.Evaluation.Tests.Pipeline;

/// <summary>The render stage on hand-made aggregate cell directories, as the engine calls it.</summary>
public sealed class RenderStageTests : IDisposable
{
    private static readonly DateTimeOffset Earlier = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Earlier.AddHours(1);

    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task ProbeAggregatesAreToldApartByTheirProtocolCoordinateAndShownInTheirOwnSection()
    {
        // Upstream with kNN before fine-tuning before the linear probe, and the newest cell a probe's: neither decides
        // the report's order or provenance.
        var upstream = new List<UpstreamOutput>
        {
            Aggregate("knn", [Row("scratch", 0.6111), Row("byol", 0.6222)], Later, host: "probe-host"),
            Aggregate(protocol: null, [Row("scratch", 0.7111), Row("byol", 0.7222)], Earlier, host: "finetune-host"),
            Aggregate("linear_probe", [Row("scratch", 0.8111), Row("byol", 0.8222)], Later, host: "probe-host"),
        };
        var work = temp.Combine("render");

        var result = await new RenderStage().RunAsync(Context(work, upstream), CancellationToken.None);

        var report = File.ReadAllText(Path.Combine(work, RenderedFiles.Report));
        var results = report[report.IndexOf("## Results", StringComparison.Ordinal)..report.IndexOf("## Linear probe and kNN", StringComparison.Ordinal)];
        var linearProbe = report[report.IndexOf("### Linear probe", StringComparison.Ordinal)..report.IndexOf("### kNN", StringComparison.Ordinal)];
        var knn = report[report.IndexOf("### kNN", StringComparison.Ordinal)..report.IndexOf("## Pre-training", StringComparison.Ordinal)];
        Assert.Contains("| byol | **0.722** |", results, StringComparison.Ordinal);
        Assert.DoesNotContain("0.822", results, StringComparison.Ordinal);
        Assert.Contains("| byol | **0.822** |", linearProbe, StringComparison.Ordinal);
        Assert.Contains("| byol | **0.622** |", knn, StringComparison.Ordinal);
        Assert.Contains("| host | finetune-host |", report, StringComparison.Ordinal);
        // results.csv and the claims are fine-tuning's alone: its two rows, not the probes' four.
        Assert.Equal(1 + 2, File.ReadAllLines(Path.Combine(work, RenderedFiles.Results)).Length);
        Assert.NotNull(result.Metrics!["claims"]);
        Assert.True(File.Exists(Path.Combine(work, RenderedFiles.ProbeTable("covid", "auc", "knn", "csv"))));
        Assert.True(File.Exists(Path.Combine(work, RenderedFiles.ProbeFigure("covid", "auc", "linear_probe", "svg"))));

        // The cells: fine-tuning's aggregate with its finetune cell, then each protocol's with its probe cell.
        var cells = report[report.IndexOf("## Cells", StringComparison.Ordinal)..];
        Assert.Equal(
            [
                "aggregate[task=covid]", "finetune[task=covid, init=byol, fold=0, fraction=1.0]",
                "aggregate[task=covid, protocol=linear_probe]", "probe[task=covid, init=byol, protocol=linear_probe, fold=0, fraction=1.0]",
                "aggregate[task=covid, protocol=knn]", "probe[task=covid, init=byol, protocol=knn, fold=0, fraction=1.0]",
            ],
            cells.Split('\n').Where(line => line.StartsWith("- [`", StringComparison.Ordinal)).Select(line => line[4..line.IndexOf("`]", StringComparison.Ordinal)]));
        var probeCell = $"probe[task=covid, init=byol, protocol=knn, fold=0, fraction=1.0]`](../../../{CacheStore.RelativeCellPath(StageNames.Probe, Key("probe[task=covid, init=byol, protocol=knn, fold=0, fraction=1.0]"))}/)";
        Assert.Contains(probeCell, cells, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutProbeAggregatesTheReportHasNoProbeSection()
    {
        var work = temp.Combine("render");

        await new RenderStage().RunAsync(Context(work, [Aggregate(protocol: null, [Row("scratch", 0.7111)], Earlier, host: "h")]), CancellationToken.None);

        Assert.DoesNotContain("Linear probe", File.ReadAllText(Path.Combine(work, RenderedFiles.Report)), StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(work, RenderedFiles.TablesFolder)), path => path.Contains("knn", StringComparison.Ordinal) || path.Contains("probe", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeAggregatesAloneAreRefused()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new RenderStage().RunAsync(
            Context(temp.Combine("render"), [Aggregate("knn", [Row("scratch", 0.6)], Earlier, host: "h")]), CancellationToken.None));

        Assert.Contains("no fine-tuning aggregate cells upstream", error.Message, StringComparison.Ordinal);
    }

    private static SummaryRow Row(string init, double mean) =>
        new("covid", init, 1.0, "auc", 3, mean, double.NaN, double.NaN, double.NaN, 100, 50, 50);

    /// <summary>A test key: the SHA-256 of the address, 64 lower-case hex digits like a real one.</summary>
    private static string Key(string address) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(address)));

    /// <summary>
    /// covid's aggregate cell, fine-tuning's (no protocol) or a protocol's, with the four files an aggregate writes and
    /// one upstream cell (byol, fold 0, 100%) of the stage it aggregates.
    /// </summary>
    private UpstreamOutput Aggregate(string? protocol, IReadOnlyList<SummaryRow> summary, DateTimeOffset finished, string host)
    {
        var address = protocol is null
            ? new CellAddress(StageNames.Aggregate, ("task", "covid"))
            : new CellAddress(StageNames.Aggregate, ("task", "covid"), ("protocol", protocol));
        var cell = protocol is null
            ? new CellAddress(StageNames.Finetune, ("task", "covid"), ("init", "byol"), ("fold", "0"), ("fraction", "1.0"))
            : new CellAddress(StageNames.Probe, ("task", "covid"), ("init", "byol"), ("protocol", protocol), ("fold", "0"), ("fraction", "1.0"));
        var directory = temp.Combine(Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        AggregateFiles.WriteSummary(Path.Combine(directory, AggregateFiles.SummaryFileName), summary);
        AggregateFiles.WriteComparisons(Path.Combine(directory, AggregateFiles.ComparisonsFileName), []);
        AggregateFiles.WriteFolds(Path.Combine(directory, AggregateFiles.FoldsFileName), []);
        AggregateFiles.WriteImagesPerClass(Path.Combine(directory, AggregateFiles.ImagesPerClassFileName), []);
        var key = Key(address.Text);
        return new UpstreamOutput(address, key, directory, new CellMeta
        {
            Key = key,
            Address = address.Text,
            Components = new KeyComponents(1, StageNames.Aggregate, 3, "{}", "{}", "{}", new Dictionary<string, string> { [cell.Text] = Key(cell.Text) }),
            Started = finished.AddMinutes(-1),
            Finished = finished,
            Host = host,
        });
    }

    private CellContext Context(string work, IReadOnlyList<UpstreamOutput> upstream)
    {
        Directory.CreateDirectory(work);
        var parameters = new JsonObject
        {
            ["experiment"] = "sample",
            ["title"] = "Sample",
            ["metrics"] = new JsonArray("auc"),
            ["inits"] = new JsonArray("scratch", "byol"),
            ["folds"] = 3,
            ["deviations"] = new JsonArray(),
        };
        return new CellContext
        {
            Spec = new CellSpec(Key("render[experiment=sample]"), new CellAddress(StageNames.Render, ("experiment", "sample")), new KeyComponents(1, StageNames.Render, 4, CanonicalJson.Serialize(parameters), "{}", "{}", new Dictionary<string, string>()), []),
            WorkDirectory = work,
            Resuming = false,
            Upstream = upstream,
            Roots = new Roots(temp.Combine("data"), temp.Combine("cache"), temp.Combine("results")),
            Settings = new RunSettings { Threads = 1 },
            Progress = SilentProgress.Instance,
            Clock = TimeProvider.System,
        };
    }
}
