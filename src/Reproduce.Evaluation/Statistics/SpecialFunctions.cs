using System.Globalization;

namespace Reproduce.Evaluation.Statistics;

/// <summary>
/// The special functions behind the Student-t and normal distributions, written out because no numerics package is
/// on the feed (DESIGN.md §5). Agreement with <c>scipy.special</c> is pinned by the tests (scipy_reference.json).
/// </summary>
public static class SpecialFunctions
{
    /// <summary>Relative size of the last term at which series and continued fractions stop.</summary>
    private const double Epsilon = 1e-16;

    /// <summary>Keeps the modified Lentz recurrences away from division by zero.</summary>
    private const double Tiny = 1e-300;

    private const int MaxIterations = 100_000;

    private const double HalfLogTwoPi = 0.91893853320467274178;

    /// <summary>Below this, <see cref="LogGamma"/> shifts its argument up by the recurrence Γ(x + 1) = x Γ(x).</summary>
    private const double StirlingFrom = 15;

    /// <summary>
    /// ln Γ(x) for x &gt; 0: Stirling's series to the x⁻¹³ term (B₁₄), whose truncation error is below 1e-19 for
    /// x ≥ 15; smaller arguments are shifted up to 15 first.
    /// </summary>
    public static double LogGamma(double x)
    {
        if (!(x > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "ln Γ is computed here for x > 0 only");
        }

        if (double.IsPositiveInfinity(x))
        {
            return x;
        }

        var product = 1.0;
        while (x < StirlingFrom)
        {
            product *= x;
            x += 1;
        }

        var inverse = 1 / x;
        var inverseSquared = inverse * inverse;
        // Σ B₂ₖ / (2k (2k − 1) x²ᵏ⁻¹) for k = 1 … 7, in Horner form in 1/x².
        var series = inverse * (1.0 / 12 + inverseSquared * (-1.0 / 360 + inverseSquared * (1.0 / 1260 + inverseSquared * (-1.0 / 1680
            + inverseSquared * (1.0 / 1188 + inverseSquared * (-691.0 / 360360 + inverseSquared * (1.0 / 156)))))));
        return (x - 0.5) * Math.Log(x) - x + HalfLogTwoPi + series - Math.Log(product);
    }

    /// <summary>ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).</summary>
    public static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    /// <summary>The regularized incomplete beta function I_x(a, b) for a, b &gt; 0 and 0 ≤ x ≤ 1.</summary>
    public static double RegularizedIncompleteBeta(double a, double b, double x) => RegularizedIncompleteBeta(a, b, x, 1 - x);

    /// <summary>
    /// I_x(a, b) with y = 1 − x given by the caller, so that a y computed without cancellation keeps its precision
    /// (the t distribution near t = 0). The continued fraction of Numerical Recipes §6.4 (modified Lentz), on
    /// I_x(a, b) directly where it converges fast and on 1 − I_y(b, a) otherwise.
    /// </summary>
    internal static double RegularizedIncompleteBeta(double a, double b, double x, double y)
    {
        if (!(a > 0) || !(b > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(a), $"I_x(a, b) needs a, b > 0 (a = {a}, b = {b})");
        }

        if (!(x >= 0 && x <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "I_x(a, b) needs 0 ≤ x ≤ 1");
        }

        if (x == 0)
        {
            return 0;
        }

        if (y == 0)
        {
            return 1;
        }

        var front = Math.Exp(a * Math.Log(x) + b * Math.Log(y) - LogBeta(a, b));
        return x < (a + 1) / (a + b + 2)
            ? front * BetaContinuedFraction(a, b, x) / a
            : 1 - front * BetaContinuedFraction(b, a, y) / b;
    }

    /// <summary>The upper regularized incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a) for a &gt; 0, x ≥ 0.</summary>
    public static double RegularizedGammaQ(double a, double x)
    {
        if (!(a > 0) || !(x >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"Q(a, x) needs a > 0 and x ≥ 0 (a = {a}, x = {x})");
        }

        if (x == 0)
        {
            return 1;
        }

        if (double.IsPositiveInfinity(x))
        {
            return 0;
        }

        var front = Math.Exp(-x + a * Math.Log(x) - LogGamma(a));
        return x < a + 1 ? 1 - front * GammaSeries(a, x) : front * GammaContinuedFraction(a, x);
    }

    /// <summary>Σ xⁿ / (a (a + 1) … (a + n)): P(a, x) = front × this (Numerical Recipes §6.2).</summary>
    private static double GammaSeries(double a, double x)
    {
        var term = 1 / a;
        var sum = term;
        for (var n = 1; n <= MaxIterations; n++)
        {
            term *= x / (a + n);
            sum += term;
            if (Math.Abs(term) < Math.Abs(sum) * Epsilon)
            {
                return sum;
            }
        }

        throw NotConverged("the incomplete gamma series", a, x);
    }

    /// <summary>The continued fraction of Q(a, x) = front × this (Numerical Recipes §6.2, modified Lentz).</summary>
    private static double GammaContinuedFraction(double a, double x)
    {
        var b = x + 1 - a;
        var c = 1 / Tiny;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i <= MaxIterations; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = b + an / c;
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                return h;
            }
        }

        throw NotConverged("the incomplete gamma continued fraction", a, x);
    }

    /// <summary>The continued fraction of I_x(a, b) (Numerical Recipes §6.4, <c>betacf</c>, modified Lentz).</summary>
    private static double BetaContinuedFraction(double a, double b, double x)
    {
        var sum = a + b;
        var c = 1.0;
        var d = 1 - sum * x / (a + 1);
        d = Math.Abs(d) < Tiny ? Tiny : d;
        d = 1 / d;
        var h = d;
        for (var m = 1; m <= MaxIterations; m++)
        {
            var m2 = 2 * m;
            var even = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
            d = 1 + even * d;
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + even / c;
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            h *= d * c;
            var odd = -(a + m) * (sum + m) * x / ((a + m2) * (a + 1 + m2));
            d = 1 + odd * d;
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + odd / c;
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                return h;
            }
        }

        throw NotConverged("the incomplete beta continued fraction", a, b, x);
    }

    private static ArithmeticException NotConverged(string what, params double[] arguments) =>
        new($"{what} did not converge in {MaxIterations} iterations at ({string.Join(", ", arguments.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))})");
}
