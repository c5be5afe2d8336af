namespace Reproduce.Evaluation.Statistics;

/// <summary>
/// A paired t-test of the differences x − y: their mean and its confidence interval
/// (<see cref="Descriptive.Estimate"/>), the statistic t = mean / (s / √n) and its two-sided p-value with n − 1 degrees
/// of freedom. As <c>scipy.stats.ttest_rel</c>: when every difference is equal, t is ±∞ with p = 0 (or NaN with p NaN
/// when they are all zero); with n &lt; 2, t, p and the interval are NaN.
/// </summary>
public sealed record PairedTTestResult(int N, double MeanDifference, double CiLow, double CiHigh, double Statistic, double PValue)
{
    public static PairedTTestResult Of(IReadOnlyList<double> differences)
    {
        var estimate = Descriptive.Estimate(differences);
        if (estimate.N < 2)
        {
            return new PairedTTestResult(estimate.N, estimate.Mean, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var statistic = estimate.Mean / (estimate.Std / Math.Sqrt(estimate.N));
        return new PairedTTestResult(estimate.N, estimate.Mean, estimate.CiLow, estimate.CiHigh, statistic, StudentT.TwoSidedP(statistic, estimate.N - 1));
    }

    /// <summary>The test of x against y, paired by position.</summary>
    public static PairedTTestResult Of(IReadOnlyList<double> x, IReadOnlyList<double> y) => Of(PairedDifferences.Of(x, y));
}
