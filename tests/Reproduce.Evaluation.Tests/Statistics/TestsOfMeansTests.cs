using Reproduce.Evaluation.Statistics;

namespace Reproduce.Evaluation.Tests.Statistics;

/// <summary>Means, intervals, the paired t-test and the Wilcoxon test agree with numpy and scipy 1.10.1.</summary>
public class TestsOfMeansTests
{
    [Fact]
    public void MeanStandardDeviationAndIntervalAgreeWithScipy()
    {
        var mismatches = new ScipyReference.Mismatches();
        foreach (var c in ScipyReference.Cases("samples"))
        {
            var values = c.Numbers("values");
            var estimate = Descriptive.Estimate(values);
            var name = $"[{string.Join(", ", values)}]";
            Assert.Equal(values.Length, estimate.N);
            mismatches.Check($"mean {name}", estimate.Mean, c.Number("mean"));
            mismatches.Check($"std {name}", estimate.Std, c.Number("std"));
            mismatches.Check($"ci low {name}", estimate.CiLow, c.Number("ci_low"));
            mismatches.Check($"ci high {name}", estimate.CiHigh, c.Number("ci_high"));
        }

        mismatches.AssertNone();
    }

    [Fact]
    public void OneValueHasAMeanButNoSpreadAndNoValueHasNothing()
    {
        Assert.Equal(new MeanEstimate(1, 0.7, double.NaN, double.NaN, double.NaN), Descriptive.Estimate([0.7]));
        Assert.Equal(new MeanEstimate(0, double.NaN, double.NaN, double.NaN, double.NaN), Descriptive.Estimate([]));
    }

    [Fact]
    public void PairedTTestAgreesWithScipy()
    {
        var mismatches = new ScipyReference.Mismatches();
        foreach (var c in ScipyReference.Cases("paired_t"))
        {
            var (x, y) = (c.Numbers("x"), c.Numbers("y"));
            var result = PairedTTestResult.Of(x, y);
            var name = $"[{string.Join(", ", x)}] − [{string.Join(", ", y)}]";
            Assert.Equal(x.Length, result.N);
            mismatches.Check($"t {name}", result.Statistic, c.Number("statistic"));
            mismatches.Check($"p {name}", result.PValue, c.Number("p"));
            mismatches.Check($"mean difference {name}", result.MeanDifference, c.Number("mean_difference"));
            mismatches.Check($"ci low {name}", result.CiLow, c.Number("ci_low"));
            mismatches.Check($"ci high {name}", result.CiHigh, c.Number("ci_high"));
        }

        mismatches.AssertNone();
    }

    [Fact]
    public void APairedTTestOfIdenticalSamplesIsUndefined()
    {
        var result = PairedTTestResult.Of([0.8, 0.7, 0.9], [0.8, 0.7, 0.9]);

        Assert.Equal(0, result.MeanDifference);
        Assert.True(double.IsNaN(result.Statistic) && double.IsNaN(result.PValue));
    }

    [Fact]
    public void APairedTTestOfOnePairHasOnlyTheDifference()
    {
        var result = PairedTTestResult.Of([0.8], [0.75]);

        Assert.Equal(0.8 - 0.75, result.MeanDifference);
        Assert.True(double.IsNaN(result.Statistic) && double.IsNaN(result.PValue) && double.IsNaN(result.CiLow) && double.IsNaN(result.CiHigh));
    }

    [Fact]
    public void WilcoxonAgreesWithScipy()
    {
        var mismatches = new ScipyReference.Mismatches();
        foreach (var c in ScipyReference.Cases("wilcoxon"))
        {
            var differences = c.Numbers("differences");
            var result = WilcoxonSignedRankResult.Of(differences);
            var name = $"[{string.Join(", ", differences)}] ({c.GetProperty("method").GetString()})";
            mismatches.Check($"statistic {name}", result.Statistic, c.Number("statistic"));
            mismatches.Check($"p {name}", result.PValue, c.Number("p"));
        }

        mismatches.AssertNone();
    }

    [Fact]
    public void WilcoxonIsExactOnlyWithoutZerosOrTiesUpToFifty()
    {
        Assert.True(WilcoxonSignedRankResult.Of([0.03, -0.01, 0.05, 0.02, 0.04, 0.06]).Exact);
        Assert.False(WilcoxonSignedRankResult.Of([0.0, 0.03, -0.01, 0.05, 0.02, 0.04, 0.06]).Exact);
        Assert.False(WilcoxonSignedRankResult.Of([0.02, 0.02, -0.01, 0.05, 0.03, 0.03, 0.04]).Exact);
        Assert.False(WilcoxonSignedRankResult.Of([.. Enumerable.Range(1, 51).Select(i => (double)i)]).Exact);
    }

    [Fact]
    public void WilcoxonOfSixFoldsAllOneWayReachesItsSmallestPValue()
    {
        var result = WilcoxonSignedRankResult.Of([0.01, 0.02, 0.03, 0.04, 0.05, 0.06]);

        Assert.Equal((6, 0.0, 2.0 / 64), (result.N, result.Statistic, result.PValue));
    }

    [Fact]
    public void WilcoxonDropsZerosAndIsUndefinedWhenNothingIsLeft()
    {
        Assert.Equal(6, WilcoxonSignedRankResult.Of([0.0, 0.03, -0.01, 0.05, 0.02, 0.04, 0.06]).N);
        var allZero = WilcoxonSignedRankResult.Of([0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        Assert.True(allZero.N == 0 && double.IsNaN(allZero.Statistic) && double.IsNaN(allZero.PValue));
    }
}
