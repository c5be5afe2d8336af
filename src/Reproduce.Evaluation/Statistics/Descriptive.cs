namespace Reproduce.Evaluation.Statistics;

/// <summary>Mean, sample standard deviation and the confidence interval of a mean.</summary>
public static class Descriptive
{
    /// <summary>The level of every confidence interval the suite reports.</summary>
    public const double ConfidenceLevel = 0.95;

    /// <summary>The arithmetic mean; NaN for no values.</summary>
    public static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? double.NaN : values.Sum() / values.Count;

    /// <summary>The sample standard deviation √(Σ (x − mean)² / (n − 1)), two-pass as numpy's <c>std(ddof=1)</c>; NaN for n &lt; 2.</summary>
    public static double SampleStandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return double.NaN;
        }

        var mean = Mean(values);
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>
    /// The two-sided Student-t quantile of <see cref="ConfidenceLevel"/> with n − 1 degrees of freedom, the half-width
    /// of a mean's interval in standard errors (2.776… for n = 5).
    /// </summary>
    public static double CriticalT(int n) => StudentT.Quantile(1 - (1 - ConfidenceLevel) / 2, n - 1);

    /// <summary>n, mean, standard deviation and the interval mean ± t(0.975, n − 1) · s / √n, as <c>scipy.stats.t.interval</c>.</summary>
    public static MeanEstimate Estimate(IReadOnlyList<double> values)
    {
        var n = values.Count;
        var mean = Mean(values);
        if (n < 2)
        {
            return new MeanEstimate(n, mean, double.NaN, double.NaN, double.NaN);
        }

        var std = SampleStandardDeviation(values);
        var halfWidth = CriticalT(n) * std / Math.Sqrt(n);
        return new MeanEstimate(n, mean, std, mean - halfWidth, mean + halfWidth);
    }
}
