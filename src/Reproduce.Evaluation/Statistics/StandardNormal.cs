namespace Reproduce.Evaluation.Statistics;

/// <summary>The standard normal distribution, for the Wilcoxon test's normal approximation.</summary>
public static class StandardNormal
{
    /// <summary>
    /// P(Z &gt; z) = erfc(z / √2) / 2 = Q(1/2, z² / 2) / 2 for z ≥ 0, computed in the tail directly so that small
    /// probabilities keep their relative precision.
    /// </summary>
    public static double UpperTail(double z)
    {
        if (double.IsNaN(z))
        {
            return double.NaN;
        }

        return z < 0 ? 1 - UpperTail(-z) : 0.5 * SpecialFunctions.RegularizedGammaQ(0.5, z * z / 2);
    }

    /// <summary>Two-sided p-value of a z statistic: P(|Z| ≥ |z|).</summary>
    public static double TwoSidedP(double z) => 2 * UpperTail(Math.Abs(z));
}
