using Reproduce.Evaluation.Aggregation;
using Reproduce.Evaluation.Statistics;
using static Reproduce.Evaluation.Tests.Aggregation.Results;

namespace Reproduce.Evaluation.Tests.Aggregation;

public class AggregatorTests
{
    private static readonly string[] Metrics = ["auc", "f1"];

    [Fact]
    public void SummaryRowsFollowTheInitOrderThenFractionsDescendingThenTheMetrics()
    {
        var cells = new[]
        {
            Cell("spark", 0, 0.25, 0.7), Cell("scratch", 0, 1.0, 0.8), Cell("spark", 0, 1.0, 0.9), Cell("scratch", 0, 0.25, 0.6),
        };

        var rows = new Aggregator("covid", ["scratch", "spark"], Metrics, cells).Summary();

        Assert.Equal(
            [("scratch", 1.0, "auc"), ("scratch", 1.0, "f1"), ("scratch", 0.25, "auc"), ("scratch", 0.25, "f1"), ("spark", 1.0, "auc"), ("spark", 1.0, "f1"), ("spark", 0.25, "auc"), ("spark", 0.25, "f1")],
            rows.Select(r => (r.Init, r.Fraction, r.Metric)));
    }

    [Fact]
    public void AnUndefinedFoldIsLeftOutOfItsRowAndNoDefinedFoldGivesNZero()
    {
        var cells = new[]
        {
            Cell("byol", 0, 1.0, 0.80, f1: null, perClass: [40, 62]),
            Cell("byol", 1, 1.0, null, f1: null, perClass: [41, 61]),
            Cell("byol", 2, 1.0, 0.90, f1: null, perClass: [39, 60]),
        };

        var rows = new Aggregator("covid", ["byol"], Metrics, cells).Summary();

        var auc = rows.Single(r => r.Metric == "auc");
        var expected = Descriptive.Estimate([0.80, 0.90]);
        Assert.Equal((2, expected.Mean, expected.Std, expected.CiLow, expected.CiHigh), (auc.N, auc.Mean, auc.Std, auc.CiLow, auc.CiHigh));
        Assert.Equal((101.0, 39), (auc.TrainImages, auc.MinClassImages));
        var f1 = rows.Single(r => r.Metric == "f1");
        Assert.Equal(0, f1.N);
        Assert.True(double.IsNaN(f1.Mean) && double.IsNaN(f1.Std) && double.IsNaN(f1.CiLow) && double.IsNaN(f1.CiHigh));
    }

    [Fact]
    public void OneFoldHasAMeanWithoutSpread()
    {
        var row = new Aggregator("covid", ["byol"], ["auc"], [Cell("byol", 0, 1.0, 0.8)]).Summary().Single();

        Assert.Equal((1, 0.8), (row.N, row.Mean));
        Assert.True(double.IsNaN(row.Std) && double.IsNaN(row.CiLow));
    }

    [Fact]
    public void F1IsThePositiveClassOnABinaryTaskAndMacroOnAMulticlassOne()
    {
        var binary = Cell("byol", 0, 1.0, 0.8, f1: 0.66);
        var multiclass = Cell("byol", 0, 1.0, 0.8, f1: 0.55, task: "organsmnist", classes: 11);

        Assert.Equal(0.66, TableMetrics.ValueOf(binary, "f1"));
        Assert.Equal(0.55, TableMetrics.ValueOf(multiclass, "f1"));
        Assert.Equal("f1_macro", TableMetrics.SourceOf("f1", 11));
        Assert.Equal(0.75, TableMetrics.ValueOf(multiclass, "accuracy"));
    }

    [Fact]
    public void FoldValuesListEveryCellAndMetricWithUndefinedOnesNull()
    {
        var folds = new Aggregator("covid", ["scratch"], Metrics, [Cell("scratch", 1, 1.0, null, f1: 0.6), Cell("scratch", 0, 1.0, 0.7, f1: 0.5)]).Folds();

        Assert.Equal(
            [new FoldValue("covid", "scratch", 0, 1.0, 100, "auc", 0.7), new FoldValue("covid", "scratch", 0, 1.0, 100, "f1", 0.5), new FoldValue("covid", "scratch", 1, 1.0, 100, "auc", null), new FoldValue("covid", "scratch", 1, 1.0, 100, "f1", 0.6)],
            folds);
    }

    [Fact]
    public void EveryPretrainedInitMeetsScratchAndSparkMeetsEachContrastiveMethod()
    {
        string[] inits = ["scratch", "byol", "mocov2", "spark"];
        var cells = inits.SelectMany(i => Enumerable.Range(0, 3).Select(f => Cell(i, f, 1.0, 0.7 + 0.01 * f + 0.02 * Array.IndexOf(inits, i)))).ToList();

        var rows = new Aggregator("covid", inits, ["auc"], cells).Comparisons();

        Assert.Equal([("byol", "scratch"), ("mocov2", "scratch"), ("spark", "scratch"), ("spark", "byol"), ("spark", "mocov2")], rows.Select(r => (r.Init, r.Baseline)));
        Assert.All(rows, r => Assert.Equal(("paired-t", 3), (r.Test, r.N)));
    }

    [Fact]
    public void AComparisonIsPairedOverTheFoldsBothDefine()
    {
        double?[] byol = [0.80, 0.82, null, 0.79, 0.85];
        double?[] scratch = [0.75, 0.80, 0.70, 0.78, null];
        var cells = Enumerable.Range(0, 5).SelectMany(f => new[] { Cell("scratch", f, 0.5, scratch[f]), Cell("byol", f, 0.5, byol[f]) }).ToList();

        var row = new Aggregator("covid", ["scratch", "byol"], ["auc"], cells).Comparisons().Single();

        var expected = PairedTTestResult.Of([0.80, 0.82, 0.79], [0.75, 0.80, 0.78]);
        Assert.Equal(new ComparisonRow("covid", 0.5, "auc", "byol", "scratch", 3, expected.MeanDifference, expected.CiLow, expected.CiHigh, "paired-t", expected.Statistic, expected.PValue), row);
    }

    [Fact]
    public void SixPairsAddAWilcoxonRowWithTheSameDifference()
    {
        var cells = Enumerable.Range(0, 6).SelectMany(f => new[] { Cell("scratch", f, 1.0, 0.7), Cell("spark", f, 1.0, 0.7 + 0.01 * (f + 1)) }).ToList();

        var rows = new Aggregator("covid", ["scratch", "spark"], ["auc"], cells).Comparisons();

        Assert.Equal(["paired-t", "wilcoxon"], rows.Select(r => r.Test));
        Assert.Equal(rows[0].MeanDifference, rows[1].MeanDifference);
        Assert.Equal((0.0, 2.0 / 64), (rows[1].Statistic, rows[1].PValue));
    }

    [Fact]
    public void NoSharedFoldGivesAnUndefinedComparison()
    {
        var row = new Aggregator("covid", ["scratch", "byol"], ["auc"], [Cell("scratch", 0, 1.0, 0.7), Cell("byol", 1, 1.0, 0.8)]).Comparisons().Single();

        Assert.Equal(0, row.N);
        Assert.True(double.IsNaN(row.MeanDifference) && double.IsNaN(row.PValue));
    }

    [Fact]
    public void ACellOfAnotherInitOrTaskOrTwiceTheSameIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new Aggregator("covid", ["scratch"], ["auc"], [Cell("byol", 0, 1.0, 0.7)]));
        Assert.Throws<ArgumentException>(() => new Aggregator("brain", ["scratch"], ["auc"], [Cell("scratch", 0, 1.0, 0.7)]));
        Assert.Throws<ArgumentException>(() => new Aggregator("covid", ["scratch"], ["auc"], [Cell("scratch", 0, 1.0, 0.7), Cell("scratch", 0, 1.0, 0.8)]));
        Assert.Throws<ArgumentException>(() => new Aggregator("covid", ["scratch"], ["kappa"], [Cell("scratch", 0, 1.0, 0.7)]));
    }

    [Fact]
    public void ImagesPerClassHoldsEachInitAgainstScratchsFullDataScore()
    {
        // byol lies exactly on 0.9 − 0.6·n^(−0.5) in every fold; scratch scores 0.8 at full data, which that curve
        // reaches at (0.6 / 0.1)² = 36 images per class. Two classes, so a cell's images per class is half its training set.
        var byol = new InversePowerLaw(0.9, 0.6, 0.5);
        var cells = new List<CellResult>();
        foreach (var fold in new[] { 0, 1, 2 })
        {
            foreach (var fraction in new[] { 1.0, 0.5, 0.25, 0.1 })
            {
                var perClass = (int)(100 * fraction);
                cells.Add(Cell("scratch", fold, fraction, auc: fraction == 1.0 ? 0.8 : 0.6, perClass: [perClass, perClass]));
                cells.Add(Cell("byol", fold, fraction, auc: byol.Score(perClass), perClass: [perClass, perClass]));
            }
        }

        var rows = new Aggregator("covid", ["scratch", "byol"], Metrics, cells).ImagesPerClass();

        Assert.Equal([("auc", "scratch"), ("auc", "byol"), ("f1", "scratch"), ("f1", "byol")], rows.Select(r => (r.Metric, r.Init)));
        var auc = rows.Single(r => r.Metric == "auc" && r.Init == "byol");
        Assert.Equal(4, auc.Sizes);
        Assert.Equal(0.8, auc.Target, 12);
        Assert.Equal((0.9, 0.6, 0.5), (Math.Round(auc.A, 6), Math.Round(auc.B, 6), Math.Round(auc.C, 6)));
        Assert.Equal(36, auc.Images, 4);
        // Every fold is the same, so every resample is too.
        Assert.Equal((36.0, 36.0, 36.0), (Math.Round(auc.Median, 4), Math.Round(auc.CiLow, 4), Math.Round(auc.CiHigh, 4)));
        Assert.Equal((Aggregator.ImagesPerClassResamples, Aggregator.ImagesPerClassResamples), (auc.Resamples, auc.Reached));
        // F1 is 0.7 everywhere: a flat curve at the target, which it never rises above.
        var f1 = rows.Single(r => r.Metric == "f1" && r.Init == "byol");
        Assert.Equal((double.PositiveInfinity, 0), (f1.Images, f1.Reached));
    }

    [Fact]
    public void WithoutScratchAtFullDataThereIsNoImagesPerClassTarget()
    {
        var cells = new[] { Cell("scratch", 0, 0.5, 0.7), Cell("byol", 0, 1.0, 0.8), Cell("byol", 0, 0.5, 0.75) };

        Assert.Empty(new Aggregator("covid", ["scratch", "byol"], Metrics, cells).ImagesPerClass());
    }
}
