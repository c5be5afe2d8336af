namespace Reproduce.Evaluation.Statistics;

/// <summary>
/// A saturating learning curve, score(n) = A − B·n^(−C) with B ≥ 0 and C &gt; 0: the score rises with the training
/// images per class n towards the asymptote <see cref="A"/>, by a power law with exponent <see cref="C"/>.
/// </summary>
/// <remarks>
/// <see cref="Fit"/> does not use a general nonlinear solver such as Levenberg–Marquardt: a learning curve has three to
/// five distinct sizes, so three parameters are barely determined, and a local solver then lands wherever its start
/// and step control take it (often off to c → 0 with a and b running away), differently after any change to the start.
/// For a fixed C the model is linear in A and B, so the best (A, B) under the bounds is a small closed-form problem;
/// what remains is a one-dimensional search over C, done on a fixed log-spaced grid and refined by golden-section
/// search around the best grid point. That finds the global minimum over the bounded C range up to the grid's
/// resolution, respects the bounds exactly and gives the same numbers for the same points every time.
/// </remarks>
public sealed record InversePowerLaw(double A, double B, double C)
{
    /// <summary>The smallest exponent searched: below it n^(−c) is nearly 1 − c·ln n, and a and b grow without bound.</summary>
    public const double MinExponent = 0.01;

    /// <summary>The largest exponent searched: at 4 the curve is flat beyond a few images per class.</summary>
    public const double MaxExponent = 4;

    /// <summary>Fewer distinct sizes than parameters leave the curve undetermined.</summary>
    public const int MinSizes = 3;

    private const int GridPoints = 200;

    private const int RefinementSteps = 100;

    /// <summary>The fitted score at <paramref name="imagesPerClass"/> images per class.</summary>
    public double Score(double imagesPerClass) => A - B * Math.Pow(imagesPerClass, -C);

    /// <summary>
    /// The images per class at which the curve reaches <paramref name="target"/>: n* = (B / (A − target))^(1/C) when
    /// the asymptote is above the target (0 for a flat curve above it), and <see cref="double.PositiveInfinity"/>,
    /// "not reached", when the asymptote is at or below it.
    /// </summary>
    public double ImagesToReach(double target) =>
        A > target ? Math.Pow(B / (A - target), 1 / C) : double.PositiveInfinity;

    /// <summary>
    /// The least-squares curve through (images per class, score) points with A ≤ <paramref name="maxAsymptote"/>
    /// (1 for a score in [0, 1]), B ≥ 0 and C in [<see cref="MinExponent"/>, <see cref="MaxExponent"/>]; null with
    /// fewer than <see cref="MinSizes"/> distinct sizes. Sizes must be positive and scores finite.
    /// </summary>
    public static InversePowerLaw? Fit(IReadOnlyList<(double ImagesPerClass, double Score)> points, double maxAsymptote = 1)
    {
        foreach (var (images, score) in points)
        {
            if (!(images > 0) || !double.IsFinite(images) || !double.IsFinite(score))
            {
                throw new ArgumentException($"A learning-curve point needs a positive size and a finite score, not ({images}, {score}).", nameof(points));
            }
        }

        if (points.Select(p => p.ImagesPerClass).Distinct().Count() < MinSizes)
        {
            return null;
        }

        var sample = new Sample(
            [.. points.Select(p => Math.Log(p.ImagesPerClass))], [.. points.Select(p => p.Score)], new double[points.Count], maxAsymptote);

        // The grid is in log c, so small exponents, where the curve changes fastest with c, are searched as finely as large ones.
        var logMin = Math.Log(MinExponent);
        var step = (Math.Log(MaxExponent) - logMin) / (GridPoints - 1);
        var best = 0;
        var bestError = double.PositiveInfinity;
        for (var index = 0; index < GridPoints; index++)
        {
            var error = sample.AtExponent(Math.Exp(logMin + index * step)).Error;
            if (error < bestError)
            {
                (best, bestError) = (index, error);
            }
        }

        var exponent = Refine(sample, logMin + Math.Max(best - 1, 0) * step, logMin + Math.Min(best + 1, GridPoints - 1) * step);
        var (a, b, refinedError) = sample.AtExponent(exponent);
        if (refinedError > bestError)
        {
            // The bracket holds one minimum of the grid's resolution, but a flat stretch can fool golden section: keep the grid's point then.
            exponent = Math.Exp(logMin + best * step);
            (a, b, _) = sample.AtExponent(exponent);
        }

        return new InversePowerLaw(a, b, exponent);
    }

    /// <summary>Golden-section search for the exponent of least error between two log exponents.</summary>
    private static double Refine(Sample sample, double low, double high)
    {
        var ratio = (Math.Sqrt(5) - 1) / 2;
        var left = high - ratio * (high - low);
        var right = low + ratio * (high - low);
        var leftError = sample.AtExponent(Math.Exp(left)).Error;
        var rightError = sample.AtExponent(Math.Exp(right)).Error;
        for (var iteration = 0; iteration < RefinementSteps && high - low > 1e-12; iteration++)
        {
            if (leftError <= rightError)
            {
                (high, right, rightError) = (right, left, leftError);
                left = high - ratio * (high - low);
                leftError = sample.AtExponent(Math.Exp(left)).Error;
            }
            else
            {
                (low, left, leftError) = (left, right, rightError);
                right = low + ratio * (high - low);
                rightError = sample.AtExponent(Math.Exp(right)).Error;
            }
        }

        return Math.Exp((low + high) / 2);
    }

    /// <summary>
    /// The points as the search needs them: ln n (so n^(−c) is one exponential), the scores, a buffer for n^(−c) and
    /// the asymptote's ceiling. A bootstrap fits a thousand curves, each a few hundred exponents, so this is the hot loop.
    /// </summary>
    private sealed record Sample(double[] LogImages, double[] Scores, double[] Powers, double MaxAsymptote)
    {
        /// <summary>
        /// For a fixed exponent, score = a − b·x with x = n^(−c) is a straight line; the least-squares (a, b) with
        /// a ≤ <see cref="MaxAsymptote"/> and b ≥ 0 is the unconstrained line when it keeps the bounds, and otherwise
        /// lies on the edge b = 0 or a = max (the error is a convex quadratic), each edge solved in closed form and clamped.
        /// </summary>
        public (double A, double B, double Error) AtExponent(double exponent)
        {
            var count = Scores.Length;
            double sumX = 0, sumY = 0;
            for (var i = 0; i < count; i++)
            {
                Powers[i] = Math.Exp(-exponent * LogImages[i]);
                sumX += Powers[i];
                sumY += Scores[i];
            }

            var (meanX, meanY) = (sumX / count, sumY / count);
            double sxx = 0, sxy = 0, sx2 = 0, shortfallX = 0;
            for (var i = 0; i < count; i++)
            {
                var x = Powers[i];
                sxx += (x - meanX) * (x - meanX);
                sxy += (x - meanX) * (Scores[i] - meanY);
                sx2 += x * x;
                shortfallX += (MaxAsymptote - Scores[i]) * x;
            }

            var best = Candidate(Math.Min(meanY, MaxAsymptote), 0, (double.NaN, double.NaN, double.PositiveInfinity));
            best = Candidate(MaxAsymptote, Math.Max(0, shortfallX / sx2), best);
            var slope = -sxy / sxx;
            var free = meanY + slope * meanX;
            return slope >= 0 && free <= MaxAsymptote ? Candidate(free, slope, best) : best;
        }

        /// <summary>(a, b) with its squared error when that is below the best so far's, else the best so far.</summary>
        private (double A, double B, double Error) Candidate(double a, double b, (double A, double B, double Error) best)
        {
            var error = 0.0;
            for (var i = 0; i < Scores.Length; i++)
            {
                var residual = Scores[i] - (a - b * Powers[i]);
                error += residual * residual;
            }

            return error < best.Error ? (a, b, error) : best;
        }
    }
}
