using MathNet.Numerics.Distributions;

namespace Reproduce.Evaluation.Statistics;

/// <summary>
/// The two-sided Wilcoxon signed-rank test of paired differences, as <c>scipy.stats.wilcoxon</c> 1.10.1 with its
/// defaults (<c>zero_method="wilcox"</c>, <c>correction=False</c>, <c>method="auto"</c>) wherever those are sound:
/// <list type="bullet">
/// <item>Zero differences are dropped before ranking (Wilcoxon's convention); n counts the rest.</item>
/// <item>Tied |differences| get their average rank.</item>
/// <item>The statistic is min(R⁺, R⁻), the smaller signed-rank sum.</item>
/// <item>With no zero and no tie and n ≤ 50, the p-value is exact: min(1, 2 · min(P(R⁺ ≤ r), P(R⁺ ≥ r))) under the
/// null distribution of R⁺, counted in integers over all 2ⁿ sign assignments.</item>
/// <item>Otherwise it is the normal approximation without continuity correction: z = (T − n(n+1)/4) / σ with
/// σ² = (n(n+1)(2n+1) − ½ Σ t(t² − 1)) / 24 over tie groups of size t, and p = 2 P(Z &gt; |z|).</item>
/// </list>
/// One deliberate departure: scipy 1.10.1 keeps the exact distribution when |differences| tie without zeros and
/// truncates the half-integer R⁺ to an integer, whose p-value belongs to no tie-aware null distribution; here ties
/// always take the tie-corrected normal approximation (scipy's <c>method="approx"</c>). When every difference is zero
/// (scipy raises), the statistic and p-value are NaN.
/// </summary>
public sealed record WilcoxonSignedRankResult(int N, double Statistic, double PValue, bool Exact)
{
    /// <summary>Largest n (after dropping zeros) for the exact p-value, as scipy's <c>method="auto"</c>.</summary>
    public const int ExactUpTo = 50;

    public static WilcoxonSignedRankResult Of(IReadOnlyList<double> differences)
    {
        if (differences.Any(d => !double.IsFinite(d)))
        {
            throw new ArgumentException("the Wilcoxon test needs finite differences", nameof(differences));
        }

        var nonZero = differences.Where(d => d != 0).ToList();
        var n = nonZero.Count;
        if (n == 0)
        {
            return new WilcoxonSignedRankResult(0, double.NaN, double.NaN, Exact: false);
        }

        var (ranks, tieGroups) = AverageRanks(nonZero.Select(Math.Abs).ToList());
        var plus = Enumerable.Range(0, n).Where(i => nonZero[i] > 0).Sum(i => ranks[i]);
        var minus = Enumerable.Range(0, n).Where(i => nonZero[i] < 0).Sum(i => ranks[i]);
        var statistic = Math.Min(plus, minus);
        var exact = n == differences.Count && tieGroups.Count == 0 && n <= ExactUpTo;
        if (exact)
        {
            return new WilcoxonSignedRankResult(n, statistic, ExactTwoSidedP(n, (int)plus), Exact: true);
        }

        var mean = n * (n + 1.0) / 4;
        var variance = (n * (n + 1.0) * (2.0 * n + 1) - 0.5 * tieGroups.Sum(t => t * (t * (double)t - 1))) / 24;
        return new WilcoxonSignedRankResult(n, statistic, TwoSidedNormalP((statistic - mean) / Math.Sqrt(variance)), Exact: false);
    }

    /// <summary>
    /// P(|Z| ≥ |z|) = 2 Φ(−|z|), taken in the lower tail so that a small p keeps its relative precision (MathNet's
    /// Φ is erfc-based there).
    /// </summary>
    private static double TwoSidedNormalP(double z) => 2 * Normal.CDF(0, 1, -Math.Abs(z));

    /// <summary>The test of x against y, paired by position.</summary>
    public static WilcoxonSignedRankResult Of(IReadOnlyList<double> x, IReadOnlyList<double> y) => Of(PairedDifferences.Of(x, y));

    /// <summary>Ranks 1 … n of the values, ties sharing their average rank, and the sizes of the tie groups (t ≥ 2).</summary>
    private static (double[] Ranks, List<int> TieGroups) AverageRanks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        var tieGroups = new List<int>();
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && values[order[end]] == values[order[start]])
            {
                end++;
            }

            // Positions start … end − 1 hold ranks start + 1 … end; their average:
            var rank = (start + 1 + end) / 2.0;
            for (var i = start; i < end; i++)
            {
                ranks[order[i]] = rank;
            }

            if (end - start > 1)
            {
                tieGroups.Add(end - start);
            }

            start = end;
        }

        return (ranks, tieGroups);
    }

    /// <summary>
    /// min(1, 2 · min(P(R⁺ ≤ r), P(R⁺ ≥ r))) where R⁺ is the sum of a random subset of the ranks 1 … n, counted
    /// exactly (2⁵⁰ fits a long).
    /// </summary>
    private static double ExactTwoSidedP(int n, int plus)
    {
        var maximum = n * (n + 1) / 2;
        var counts = new long[maximum + 1];
        counts[0] = 1;
        for (var rank = 1; rank <= n; rank++)
        {
            for (var sum = maximum; sum >= rank; sum--)
            {
                counts[sum] += counts[sum - rank];
            }
        }

        long atMost = 0;
        long atLeast = 0;
        for (var sum = 0; sum <= maximum; sum++)
        {
            atMost += sum <= plus ? counts[sum] : 0;
            atLeast += sum >= plus ? counts[sum] : 0;
        }

        return Math.Min(1.0, 2.0 * Math.Min(atMost, atLeast) / Math.Pow(2, n));
    }
}
