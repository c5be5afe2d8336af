using Reproduce.Core.Errors;
using Reproduce.Evaluation.Aggregation;
using Reproduce.Evaluation.Regression;

namespace Reproduce.Evaluation.Tests.Regression;

public sealed class RegressionCheckTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static SummaryRow Row(string task, string init, double fraction, string metric, double mean) =>
        new(task, init, fraction, metric, 2, mean, 0.01, mean - 0.1, mean + 0.1, 50, 20, 25);

    private static Baseline Expect(params BaselineMetric[] metrics) => new() { Experiment = "ci", Derivation = "test", Metrics = metrics };

    private static BaselineMetric Auc(double expected, double tolerance, string better = BaselineMetric.Higher) =>
        new("covid", "scratch", 1.0, "auc", expected, tolerance, better);

    [Theory]
    [InlineData(0.80, RegressionStatus.Within)]
    [InlineData(0.75, RegressionStatus.Within)]   // exactly at the lower edge
    [InlineData(0.85, RegressionStatus.Within)]
    [InlineData(0.749, RegressionStatus.Worse)]
    [InlineData(0.20, RegressionStatus.Worse)]
    [InlineData(0.851, RegressionStatus.Better)]
    public void AValueIsWithinItsBandOrWorseOrBetter(double actual, RegressionStatus status)
    {
        var report = RegressionCheck.Compare(Expect(Auc(0.8, 0.05)), [Row("covid", "scratch", 1.0, "auc", actual)]);

        Assert.Equal(status, Assert.Single(report.Lines).Status);
        Assert.Equal(status == RegressionStatus.Within, report.Passed);
    }

    [Fact]
    public void LowerIsBetterTurnsTheLabelsRound()
    {
        var report = RegressionCheck.Compare(Expect(Auc(0.3, 0.05, BaselineMetric.Lower)), [Row("covid", "scratch", 1.0, "auc", 0.5)]);

        Assert.Equal(RegressionStatus.Worse, Assert.Single(report.Lines).Status);
    }

    [Fact]
    public void AnExpectedMetricTheRunLacksOrLeavesUndefinedFailsAsMissing()
    {
        var baseline = Expect(Auc(0.8, 0.05), new BaselineMetric("brain", "byol", 0.25, "f1", 0.6, 0.1, BaselineMetric.Higher));

        var report = RegressionCheck.Compare(baseline, [Row("covid", "scratch", 1.0, "auc", double.NaN)]);

        Assert.All(report.Lines, l => Assert.Equal(RegressionStatus.Missing, l.Status));
        Assert.False(report.Passed);
    }

    [Fact]
    public void TheTableNamesEveryMetricMarksTheFailuresAndListsWhatTheBaselineDoesNotCheck()
    {
        var baseline = Expect(Auc(0.8, 0.05), new BaselineMetric("covid", "spark", 0.25, "accuracy", 0.7, 0.04, BaselineMetric.Higher));

        var report = RegressionCheck.Compare(baseline, [Row("covid", "scratch", 1.0, "auc", 0.31), Row("covid", "spark", 0.25, "accuracy", 0.71), Row("brain", "scratch", 1.0, "f1", 0.5)]);
        var table = report.Table();

        var lines = table.Split('\n');
        Assert.StartsWith("task ", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("covid  scratch", StringComparison.Ordinal) && l.Contains("0.800") && l.Contains("±0.050") && l.Contains("0.310") && l.Contains("-0.490") && l.EndsWith("WORSE", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("covid  spark", StringComparison.Ordinal) && l.EndsWith("ok", StringComparison.Ordinal));
        Assert.Contains("1 of 2 metrics outside their bands: covid scratch 1.0 auc", table, StringComparison.Ordinal);
        Assert.Contains("not in the baseline (unchecked): brain scratch 1.0 f1", table, StringComparison.Ordinal);
    }

    [Fact]
    public void ABaselineSurvivesWritingAndReading()
    {
        var baseline = Expect(Auc(0.8125, 0.05), new BaselineMetric("organsmnist", "swav", 0.1, "f1", 0.25, 0.02, BaselineMetric.Higher));
        var path = folder.Combine("ci.json");

        baseline.Write(path);
        var read = Baseline.Read(path);

        Assert.Equal(baseline.Experiment, read.Experiment);
        Assert.Equal(baseline.Metrics, read.Metrics);
        Assert.Contains("\"better\": \"higher\"", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"experiment\": \"ci\", \"derivation\": \"x\", \"metrics\": [", "LineNumber: 0")]
    [InlineData("{\"experiment\": \"ci\", \"metrics\": []}", "derivation")]
    [InlineData("{\"experiment\": \"ci\", \"derivation\": \"x\", \"metrics\": [], \"extra\": 1}", "extra")]
    [InlineData("{\"experiment\": \"ci\", \"derivation\": \"x\", \"metrics\": [{\"task\": \"covid\", \"init\": \"scratch\", \"fraction\": 1.0, \"metric\": \"kappa\", \"expected\": 0.8, \"tolerance\": 0.1, \"better\": \"higher\"}]}", "metrics[0]: metric 'kappa'")]
    [InlineData("{\"experiment\": \"ci\", \"derivation\": \"x\", \"metrics\": [{\"task\": \"covid\", \"init\": \"scratch\", \"fraction\": 1.0, \"metric\": \"auc\", \"expected\": 0.8, \"tolerance\": -0.1, \"better\": \"higher\"}]}", "metrics[0]: tolerance -0.1")]
    [InlineData("{\"experiment\": \"ci\", \"derivation\": \"x\", \"metrics\": [{\"task\": \"covid\", \"init\": \"scratch\", \"fraction\": 1.0, \"metric\": \"auc\", \"expected\": 0.8, \"tolerance\": 0.1, \"better\": \"higher\"}, {\"task\": \"covid\", \"init\": \"scratch\", \"fraction\": 1, \"metric\": \"auc\", \"expected\": 0.7, \"tolerance\": 0.1, \"better\": \"higher\"}]}", "metrics[1]: covid scratch 1.0 auc is listed twice")]
    [InlineData("null", "holds null")]
    [InlineData("{\"experiment\": \"ci\", \"derivation\": \"x\", \"metrics\": [{\"task\": \"covid\", \"init\": \"scratch\", \"fraction\": 1.0, \"metric\": \"auc\", \"expected\": 0.8, \"tolerance\": 0.1, \"better\": \"up\"}]}", "metrics[0]: better 'up'")]
    public void AMalformedBaselineNamesItsFileAndTheProblem(string json, string problem)
    {
        var path = folder.Combine("bad.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<DataFormatException>(() => Baseline.Read(path));

        Assert.Equal(path, error.Path);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingBaselineSaysHowToDeriveOne()
    {
        var error = Assert.Throws<EnvironmentException>(() => Baseline.Read(folder.Combine("none.json")));

        Assert.Contains("reproduce baseline", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DerivationExpectsTheReferenceSeedAndSetsTheToleranceToKSigmaOverAllSeedsWithAFloor()
    {
        BaselineDerivation.SeedRun Run(long seed, double auc, double f1) =>
            new(seed, [Row("covid", "scratch", 1.0, "auc", auc), Row("covid", "scratch", 1.0, "f1", f1)]);
        var aucs = new[] { 0.80, 0.70, 0.90, 0.75, 0.85 };   // sample σ = 0.0790569
        var f1s = new[] { 0.600, 0.601, 0.599, 0.600, 0.600 };

        var derived = BaselineDerivation.Derive("ci", "experiments/ci.yaml", Run(1, aucs[0], f1s[0]), [.. Enumerable.Range(1, 4).Select(i => Run(i + 1, aucs[i], f1s[i]))], k: 4, floor: 0.02, "reproduce baseline …");

        var auc = derived.Baseline.Metrics.Single(m => m.Metric == "auc");
        Assert.Equal(0.80, auc.Expected);
        Assert.Equal(0.317, auc.Tolerance);   // 4 × 0.0790569 = 0.3162, rounded up
        Assert.Equal(0.02, derived.Baseline.Metrics.Single(m => m.Metric == "f1").Tolerance);
        Assert.Contains("| covid | scratch | 1.0 | auc | 0.800 | 0.700 | 0.900 | 0.750 | 0.850 | 0.079 | 0.800 | ±0.317 |", derived.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void DerivationLeavesOutAMetricFewerThanThreeSeedsDefine()
    {
        BaselineDerivation.SeedRun Run(long seed, double auc) => new(seed, [Row("brain", "spark", 0.25, "auc", auc)]);

        var derived = BaselineDerivation.Derive("ci", "ci.yaml", Run(1, 0.7), [Run(2, double.NaN), Run(3, double.NaN), Run(4, 0.6)], 4, 0.02, "cmd");

        Assert.Empty(derived.Baseline.Metrics);
    }
}
