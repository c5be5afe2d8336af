using Reproduce.Evaluation.Statistics;

namespace Reproduce.Evaluation.Tests.Statistics;

public sealed class InversePowerLawTests
{
    [Theory]
    [InlineData(0.9, 0.6, 0.5, new[] { 5.0, 12.5, 25, 50 })]
    [InlineData(0.95, 0.3, 1.2, new[] { 3.0, 10, 40 })]
    [InlineData(0.8, 2.5, 0.15, new[] { 4.0, 16, 64, 256, 1024 })]
    public void TheFitRecoversTheParametersOfExactPoints(double a, double b, double c, double[] sizes)
    {
        var truth = new InversePowerLaw(a, b, c);

        var fit = InversePowerLaw.Fit([.. sizes.Select(n => (n, truth.Score(n)))])!;

        Assert.Equal(a, fit.A, 6);
        Assert.Equal(b, fit.B, 6);
        Assert.Equal(c, fit.C, 6);
    }

    [Fact]
    public void ImagesToReachInvertsTheCurve()
    {
        var curve = new InversePowerLaw(0.9, 0.6, 0.5);

        // (0.6 / (0.9 − 0.8))^(1 / 0.5) = 6² = 36.
        Assert.Equal(36, curve.ImagesToReach(0.8), 9);
        Assert.Equal(0.8, curve.Score(curve.ImagesToReach(0.8)), 12);
    }

    [Theory]
    [InlineData(0.9)]
    [InlineData(0.95)]
    public void ATargetAtOrAboveTheAsymptoteIsNotReached(double target)
    {
        Assert.Equal(double.PositiveInfinity, new InversePowerLaw(0.9, 0.6, 0.5).ImagesToReach(target));
    }

    [Fact]
    public void AFlatCurveAboveTheTargetReachesItWithAnyImages()
    {
        Assert.Equal(0, new InversePowerLaw(0.9, 0, 0.5).ImagesToReach(0.8));
    }

    [Fact]
    public void FewerThanThreeSizesGiveNoCurve()
    {
        // Four points but two sizes: three parameters are not determined.
        Assert.Null(InversePowerLaw.Fit([(10, 0.7), (10, 0.72), (40, 0.8), (40, 0.81)]));
    }

    [Fact]
    public void TheAsymptoteStaysAtOrBelowItsCeiling()
    {
        // Points still climbing fast at the largest size: an unbounded fit would put the asymptote above 1.
        var fit = InversePowerLaw.Fit([(1, 0.5), (10, 0.75), (100, 0.95), (1000, 0.999)])!;

        Assert.True(fit.A <= 1, $"a = {fit.A}");
        Assert.Equal(1, fit.A, 12);
    }

    [Fact]
    public void ScoresThatFallWithMoreImagesGiveAFlatCurveAtTheirMean()
    {
        var fit = InversePowerLaw.Fit([(5, 0.8), (20, 0.75), (80, 0.7)])!;

        Assert.Equal(0, fit.B);
        Assert.Equal(0.75, fit.A, 12);
    }

    [Fact]
    public void APointWithoutAPositiveSizeIsRefused()
    {
        Assert.Throws<ArgumentException>(() => InversePowerLaw.Fit([(0, 0.5), (10, 0.7), (100, 0.8)]));
    }
}
