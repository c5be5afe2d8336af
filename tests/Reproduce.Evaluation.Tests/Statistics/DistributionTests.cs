using Reproduce.Evaluation.Statistics;

namespace Reproduce.Evaluation.Tests.Statistics;

/// <summary>The special functions and distributions agree with scipy 1.10.1 to 1e-10 (relative).</summary>
public class DistributionTests
{
    [Fact]
    public void LogGammaAgreesWithScipy()
    {
        var mismatches = new ScipyReference.Mismatches();
        foreach (var c in ScipyReference.Cases("log_gamma"))
        {
            mismatches.Check($"lnΓ({c.Number("x")})", SpecialFunctions.LogGamma(c.Number("x")), c.Number("value"));
        }

        mismatches.AssertNone();
    }

    [Fact]
    public void RegularizedIncompleteBetaAgreesWithScipy()
    {
        var mismatches = new ScipyReference.Mismatches();
        foreach (var c in ScipyReference.Cases("regularized_incomplete_beta"))
        {
            var (a, b, x) = (c.Number("a"), c.Number("b"), c.Number("x"));
            mismatches.Check($"I_{x}({a}, {b})", SpecialFunctions.RegularizedIncompleteBeta(a, b, x), c.Number("value"));
        }

        mismatches.AssertNone();
    }

    [Fact]
    public void UpperRegularizedGammaAndTheNormalTailAgreeWithScipy()
    {
        var mismatches = new ScipyReference.Mismatches();
        foreach (var c in ScipyReference.Cases("regularized_gamma_q"))
        {
            mismatches.Check($"Q({c.Number("a")}, {c.Number("x")})", SpecialFunctions.RegularizedGammaQ(c.Number("a"), c.Number("x")), c.Number("value"));
        }

        foreach (var c in ScipyReference.Cases("normal"))
        {
            mismatches.Check($"P(Z > {c.Number("z")})", StandardNormal.UpperTail(c.Number("z")), c.Number("upper_tail"));
        }

        mismatches.AssertNone();
    }

    [Fact]
    public void StudentTTailsAgreeWithScipy()
    {
        var mismatches = new ScipyReference.Mismatches();
        foreach (var c in ScipyReference.Cases("t_tail"))
        {
            var (t, df) = (c.Number("t"), c.Number("df"));
            mismatches.Check($"P(T{df} ≤ {t})", StudentT.Cdf(t, df), c.Number("cdf"));
            mismatches.Check($"P(T{df} > {t})", StudentT.UpperTail(t, df), c.Number("upper_tail"));
        }

        mismatches.AssertNone();
    }

    [Fact]
    public void StudentTQuantilesAgreeWithScipy()
    {
        var mismatches = new ScipyReference.Mismatches();
        foreach (var c in ScipyReference.Cases("t_quantile"))
        {
            var (p, df) = (c.Number("p"), c.Number("df"));
            mismatches.Check($"t{df}({p})", StudentT.Quantile(p, df), c.Number("value"));
        }

        mismatches.AssertNone();
    }

    [Fact]
    public void TheFiveFoldCriticalValueIsTheTextbookOne()
    {
        Assert.Equal(2.7764451051977987, Descriptive.CriticalT(5), 1e-12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void AQuantileOutsideTheOpenUnitIntervalIsRefused(double p)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Quantile(p, 4));
    }

    [Fact]
    public void LogGammaIsRefusedOutsideThePositiveAxis()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.LogGamma(0));
    }
}
