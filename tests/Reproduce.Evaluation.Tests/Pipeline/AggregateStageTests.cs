using System.Text.Json.Nodes;
using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Errors;
using Reproduce.Core.Json;
using Reproduce.Core.Keys;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Evaluation.Aggregation;
using static Reproduce.Evaluation.Tests.Aggregation.Results;

namespace Reproduce.Evaluation.Tests.Pipeline;

/// <summary>The aggregate stage on hand-made finetune cell directories, as the engine calls it.</summary>
public sealed class AggregateStageTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task TheStageWritesTheFourFilesWithTheInitsInUpstreamOrder()
    {
        // Upstream in the planner's order: init by init (here spark before scratch), then fold, then fraction.
        var upstream = new List<UpstreamOutput>();
        foreach (var init in new[] { "spark", "scratch" })
        {
            for (var fold = 0; fold < 3; fold++)
            {
                foreach (var fraction in new[] { 1.0, 0.25 })
                {
                    upstream.Add(Finetune(Cell(init, fold, fraction, auc: (init == "spark" ? 0.8 : 0.7) + 0.01 * fold - (fraction < 1 ? 0.05 : 0))));
                }
            }
        }

        var work = temp.Combine("aggregate");
        var result = await new AggregateStage().RunAsync(Context(work, upstream), CancellationToken.None);

        var summary = AggregateFiles.ReadSummary(Path.Combine(work, AggregateFiles.SummaryFileName));
        Assert.Equal([("spark", 1.0), ("spark", 0.25), ("scratch", 1.0), ("scratch", 0.25)], summary.Where(r => r.Metric == "auc").Select(r => (r.Init, r.Fraction)));
        Assert.Equal(0.81, summary[0].Mean, 12);
        var comparisons = AggregateFiles.ReadComparisons(Path.Combine(work, AggregateFiles.ComparisonsFileName));
        Assert.All(comparisons, c => Assert.Equal(("spark", "scratch", 3), (c.Init, c.Baseline, c.N)));
        Assert.Equal(0.1, comparisons.Single(c => c.Fraction == 1.0 && c.Metric == "auc").MeanDifference, 12);
        Assert.Equal(12 * 3, AggregateFiles.ReadFolds(Path.Combine(work, AggregateFiles.FoldsFileName)).Count);
        // Every cell here trains on the same 50 images per class: one size, too few for a curve, but every metric × init
        // has its row against scratch's full-data score.
        var imagesPerClass = AggregateFiles.ReadImagesPerClass(Path.Combine(work, AggregateFiles.ImagesPerClassFileName));
        Assert.Equal(["spark", "scratch", "spark", "scratch", "spark", "scratch"], imagesPerClass.Select(r => r.Init));
        Assert.All(imagesPerClass, r => Assert.Equal((1, double.NaN, double.NaN), (r.Sizes, r.A, r.Images)));
        Assert.Equal(0.71, imagesPerClass.First(r => r.Metric == "auc").Target, 12);
        Assert.Equal((12, 12, 6), (result.Metrics!["cells"]!.GetValue<int>(), result.Metrics["summary_rows"]!.GetValue<int>(), result.Metrics["comparison_rows"]!.GetValue<int>()));
    }

    [Fact]
    public async Task AResultOfAnotherCellIsRefusedNamingItsFile()
    {
        var misplaced = Finetune(Cell("spark", 1, 1.0, 0.8), fold: 0);

        var error = await Assert.ThrowsAsync<DataFormatException>(() => new AggregateStage().RunAsync(Context(temp.Combine("aggregate"), [misplaced]), CancellationToken.None));

        Assert.Contains(Path.Combine(misplaced.Directory, CellResultJson.FileName), error.Message);
        Assert.Contains("holds the result of task=covid, init=spark, fold=1, fraction=1.0, but belongs to finetune[task=covid, init=spark, fold=0, fraction=1.0]", error.Message);
    }

    [Fact]
    public async Task AResultWithoutATableMetricIsRefused()
    {
        var cell = Cell("spark", 0, 1.0, 0.8);
        var withoutF1 = Finetune(cell with { Test = cell.Test.Where(m => m.Key != "f1").ToDictionary() });

        var error = await Assert.ThrowsAsync<DataFormatException>(() => new AggregateStage().RunAsync(Context(temp.Combine("aggregate"), [withoutF1]), CancellationToken.None));

        Assert.Contains("its test metrics lack f1", error.Message);
    }

    [Fact]
    public async Task AFinetuneCellWithoutMetricsIsACacheError()
    {
        var upstream = Finetune(Cell("spark", 0, 1.0, 0.8));
        File.Delete(Path.Combine(upstream.Directory, CellResultJson.FileName));

        await Assert.ThrowsAsync<CacheException>(() => new AggregateStage().RunAsync(Context(temp.Combine("aggregate"), [upstream]), CancellationToken.None));
    }

    private UpstreamOutput Finetune(CellResult result, int? fold = null)
    {
        var address = new CellAddress(StageNames.Finetune, ("task", result.Task), ("init", result.Init), ("fold", (fold ?? result.Fold).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("fraction", ExperimentGraph.FormatFraction(result.Fraction)));
        var directory = temp.Combine(Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, CellResultJson.FileName), CellResultJson.ToText(result));
        return new UpstreamOutput(address, $"{address}-key", directory, new CellMeta
        {
            Key = $"{address}-key",
            Address = address.Text,
            Components = new KeyComponents(1, StageNames.Finetune, 1, "{}", "{}", "{}", new Dictionary<string, string>()),
            Started = DateTimeOffset.UnixEpoch,
            Finished = DateTimeOffset.UnixEpoch,
            Host = "test",
        });
    }

    private CellContext Context(string work, IReadOnlyList<UpstreamOutput> upstream)
    {
        Directory.CreateDirectory(work);
        var parameters = new JsonObject { ["task"] = "covid", ["classes"] = 2, ["metrics"] = new JsonArray("auc", "f1", "accuracy"), ["protocol"] = "kfold" };
        return new CellContext
        {
            Spec = new CellSpec("aggregate-key", new CellAddress(StageNames.Aggregate, ("task", "covid")), new KeyComponents(1, StageNames.Aggregate, 1, CanonicalJson.Serialize(parameters), "{}", "{}", new Dictionary<string, string>()), []),
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
