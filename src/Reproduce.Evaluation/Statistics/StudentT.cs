namespace Reproduce.Evaluation.Statistics;

/// <summary>Student's t distribution with <c>df</c> degrees of freedom (df &gt; 0, finite).</summary>
public static class StudentT
{
    /// <summary>P(T ≤ t).</summary>
    public static double Cdf(double t, double df) => UpperTail(-t, df);

    /// <summary>
    /// P(T &gt; t): for t ≥ 0, I_x(df/2, 1/2) / 2 with x = df / (df + t²), its complement y = t² / (df + t²) computed
    /// without cancellation; for t &lt; 0, 1 − P(T &gt; −t).
    /// </summary>
    public static double UpperTail(double t, double df)
    {
        RequireDegreesOfFreedom(df);
        if (double.IsNaN(t))
        {
            return double.NaN;
        }

        if (t < 0)
        {
            return 1 - UpperTail(-t, df);
        }

        if (double.IsPositiveInfinity(t))
        {
            return 0;
        }

        var squared = t * t;
        var (x, y) = double.IsPositiveInfinity(squared)
            ? (df / t / t, 1.0)
            : (df / (df + squared), squared / (df + squared));
        return 0.5 * SpecialFunctions.RegularizedIncompleteBeta(df / 2, 0.5, x, y);
    }

    /// <summary>Two-sided p-value of a t statistic: P(|T| ≥ |t|).</summary>
    public static double TwoSidedP(double t, double df) => 2 * UpperTail(Math.Abs(t), df);

    /// <summary>
    /// The p-quantile, 0 &lt; p &lt; 1: the t &gt; 0 whose upper tail is min(p, 1 − p) (1 − p is exact for p ≥ 1/2), found
    /// by bisection down to adjacent doubles, so its precision is that of <see cref="UpperTail"/>.
    /// </summary>
    public static double Quantile(double p, double df)
    {
        RequireDegreesOfFreedom(df);
        if (!(p > 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "a quantile needs 0 < p < 1");
        }

        if (p == 0.5)
        {
            return 0;
        }

        var upper = UpperQuantile(p < 0.5 ? p : 1 - p, df);
        return p < 0.5 ? -upper : upper;
    }

    private static double UpperQuantile(double tail, double df)
    {
        var low = 0.0;
        var high = 1.0;
        while (UpperTail(high, df) > tail)
        {
            low = high;
            high *= 2;
        }

        while (true)
        {
            var middle = low + (high - low) / 2;
            if (middle <= low || middle >= high)
            {
                return tail - UpperTail(high, df) <= UpperTail(low, df) - tail ? high : low;
            }

            if (UpperTail(middle, df) > tail)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }
    }

    private static void RequireDegreesOfFreedom(double df)
    {
        if (!(df > 0) || double.IsPositiveInfinity(df))
        {
            throw new ArgumentOutOfRangeException(nameof(df), df, "Student's t needs finite degrees of freedom > 0");
        }
    }
}
