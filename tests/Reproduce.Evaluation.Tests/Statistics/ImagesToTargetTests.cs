using Reproduce.Core.Randomness;
using Reproduce.Evaluation.Statistics;

namespace Reproduce.Evaluation.Tests.Statistics;

public sealed class ImagesToTargetTests
{
    private static readonly InversePowerLaw Truth = new(0.9, 0.6, 0.5);

    /// <summary>Five folds of an init on the curve <see cref="Truth"/> with a fold offset, at four sizes per class.</summary>
    private static List<CurvePoint> Curve(InversePowerLaw truth)
    {
        double[] offsets = [0.01, -0.008, 0.004, -0.012, 0.006];
        (double Fraction, double Images)[] sizes = [(1.0, 50), (0.5, 25), (0.25, 12.5), (0.1, 5)];
        return
        [
            .. from fold in Enumerable.Range(0, offsets.Length)
               from size in sizes
               select new CurvePoint(fold, size.Fraction, size.Images + (0.1 * fold), truth.Score(size.Images) + offsets[fold]),
        ];
    }

    /// <summary>Scratch's full-data score per fold, around 0.8 (which <see cref="Truth"/> reaches at 36 images per class).</summary>
    private static List<(int Fold, double? Score)> Target() => [(0, 0.805), (1, 0.79), (2, 0.81), (3, 0.8), (4, 0.795)];

    [Fact]
    public void TheSameInputGivesTheSameInterval()
    {
        var first = ImagesToTarget.Estimate(Curve(Truth), Target(), 1000, SplitMix64.For(0, "images-per-class/covid/auc/byol"));
        var second = ImagesToTarget.Estimate(Curve(Truth), Target(), 1000, SplitMix64.For(0, "images-per-class/covid/auc/byol"));

        Assert.Equal(first, second);
        Assert.True(first.CiLow < first.CiHigh, "the resamples should spread");
    }

    [Fact]
    public void OnAWellBehavedCurveTheIntervalHoldsThePointEstimateAndEveryResampleReaches()
    {
        var estimate = ImagesToTarget.Estimate(Curve(Truth), Target(), 1000, SplitMix64.For(0, "well-behaved"));

        Assert.Equal(4, estimate.Sizes);
        Assert.Equal(0.8, estimate.Target, 12);
        Assert.Equal(1000, estimate.Resamples);
        Assert.Equal(1000, estimate.Reached);
        Assert.True(double.IsFinite(estimate.Images) && double.IsFinite(estimate.CiLow) && double.IsFinite(estimate.CiHigh));
        Assert.InRange(estimate.Images, estimate.CiLow, estimate.CiHigh);
        Assert.InRange(estimate.Median, estimate.CiLow, estimate.CiHigh);
        // The folds' mean offset is zero, so the curve through the means is near the truth's 36 images per class.
        Assert.InRange(estimate.Images, 30, 42);
    }

    [Fact]
    public void AnAsymptoteBelowTheTargetIsNotReachedInAnyResample()
    {
        // Asymptote 0.75, target 0.8.
        var estimate = ImagesToTarget.Estimate(Curve(new InversePowerLaw(0.75, 0.6, 0.5)), Target(), 200, SplitMix64.For(0, "below"));

        Assert.Equal(double.PositiveInfinity, estimate.Images);
        Assert.Equal((200, 0), (estimate.Resamples, estimate.Reached));
        Assert.Equal(
            (double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity),
            (estimate.Median, estimate.CiLow, estimate.CiHigh));
    }

    [Fact]
    public void WithoutATargetNothingIsDefined()
    {
        var estimate = ImagesToTarget.Estimate(Curve(Truth), [(0, null), (1, null)], 100, SplitMix64.For(0, "no-target"));

        Assert.NotNull(estimate.Curve);
        Assert.True(double.IsNaN(estimate.Target) && double.IsNaN(estimate.Images) && double.IsNaN(estimate.Median));
        Assert.Equal((0, 0), (estimate.Resamples, estimate.Reached));
    }

    [Theory]
    [InlineData(0.5, 2.5)]
    [InlineData(0.0, 1)]
    [InlineData(1.0, 4)]
    [InlineData(0.1, 1.3)]
    public void TheQuantileInterpolatesLinearlyAsNumpy(double probability, double expected)
    {
        Assert.Equal(expected, ImagesToTarget.Quantile([1, 2, 3, 4], probability), 12);
    }

    [Fact]
    public void AQuantileNextToANotReachedResampleIsNotReached()
    {
        double[] sorted = [1, 2, 3, double.PositiveInfinity, double.PositiveInfinity];

        Assert.Equal(double.PositiveInfinity, ImagesToTarget.Quantile(sorted, 0.6));
        Assert.Equal(3, ImagesToTarget.Quantile(sorted, 0.5));
        Assert.Equal(2.5, ImagesToTarget.Quantile(sorted, 0.375), 12);
    }
}
