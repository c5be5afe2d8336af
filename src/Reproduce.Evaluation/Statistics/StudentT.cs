using MathNet.Numerics;

namespace Reproduce.Evaluation.Statistics;

/// <summary>
/// Student's t distribution with <c>df</c> degrees of freedom (df &gt; 0, finite), on MathNet.Numerics' regularized
/// incomplete beta. MathNet's own <c>StudentT</c> is not used: its CDF is 1 − I_x(df/2, ½) / 2 with x = df / (df + t²),
/// which rounds to exactly ½ for |t| below about 1e-8, and its inverse is a root search that stops near a relative
/// 1e-7 and fails to converge far in the tails; the interval and p-values here keep full precision (the scipy tests).
/// </summary>
public static class StudentT
{
    /// <summary>P(T ≤ t).</summary>
    public static double Cdf(double t, double df) => UpperTail(-t, df);

    /// <summary>
    /// P(T &gt; t). For t ≥ 0 with x = df / (df + t²) and its complement y = t² / (df + t²), both computed without
    /// cancellation: I_x(df/2, ½) / 2 in the far tail (x ≤ ½), ½ − I_y(½, df/2) / 2 near the centre; for t &lt; 0,
    /// 1 − P(T &gt; −t).
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
        if (double.IsPositiveInfinity(squared))
        {
            return 0.5 * SpecialFunctions.BetaRegularized(df / 2, 0.5, df / t / t);
        }

        var x = df / (df + squared);
        return x <= 0.5
            ? 0.5 * SpecialFunctions.BetaRegularized(df / 2, 0.5, x)
            : 0.5 - 0.5 * SpecialFunctions.BetaRegularized(0.5, df / 2, squared / (df + squared));
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
