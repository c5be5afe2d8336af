using Reproduce.Core.Randomness;

namespace Reproduce.Evaluation.Statistics;

/// <summary>One fold's result of one init at one training fraction: its training images per class and its score (null where not defined).</summary>
public sealed record CurvePoint(int Fold, double Fraction, double ImagesPerClass, double? Score);

/// <summary>
/// How many training images per class an init needs to reach a target score, from its <see cref="InversePowerLaw"/>
/// curve through the means over folds, with a bootstrap over folds (<see cref="ImagesToTarget.Estimate"/>).
/// <see cref="Images"/>, <see cref="Median"/>, <see cref="CiLow"/> and <see cref="CiHigh"/> are
/// <see cref="double.PositiveInfinity"/> where the target is not reached (the curve's asymptote is at or below it) and
/// NaN where nothing is defined (no curve, no target, no resample that gives both). <see cref="Sizes"/> counts the
/// distinct sizes the curve was fitted to; <see cref="Resamples"/> the resamples that gave a curve and a target,
/// <see cref="Reached"/> those among them whose curve reaches their target.
/// </summary>
public sealed record ImagesNeeded(
    InversePowerLaw? Curve,
    int Sizes,
    double Target,
    double Images,
    int Resamples,
    int Reached,
    double Median,
    double CiLow,
    double CiHigh);

/// <summary>
/// The images per class at which an init's learning curve reaches a target, with a percentile bootstrap over folds.
/// Each resample draws as many folds as there are, with replacement, and recomputes from the drawn folds both the
/// init's mean score and mean images per class at every fraction (refitting the curve) and the target (the mean of
/// the drawn folds' target scores): the two share the folds' splits and test set, so they are resampled together.
/// A resample where the target is not reached counts as +∞, so it sits above every reached one in the ordering and
/// an interval bound that falls among them is itself "not reached".
/// </summary>
public static class ImagesToTarget
{
    /// <summary>The two-sided percentile interval's level, as every interval of the suite.</summary>
    public const double Level = Descriptive.ConfidenceLevel;

    /// <param name="curve">The init's results, one per fold × fraction.</param>
    /// <param name="target">The target score of each fold (null where not defined), e.g. scratch's full-data score.</param>
    /// <param name="resamples">How many bootstrap resamples to draw.</param>
    /// <param name="random">The resamples' generator, seeded by the caller, so the same input gives the same interval.</param>
    /// <param name="maxAsymptote">The curve's ceiling: 1 for a score in [0, 1].</param>
    public static ImagesNeeded Estimate(
        IReadOnlyList<CurvePoint> curve, IReadOnlyList<(int Fold, double? Score)> target, int resamples, SplitMix64 random, double maxAsymptote = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(resamples);
        var folds = curve.Select(p => p.Fold).Concat(target.Select(t => t.Fold)).Distinct().Order().ToList();
        var foldIndex = folds.Select((fold, index) => (fold, index)).ToDictionary(p => p.fold, p => p.index);
        var targets = new double?[folds.Count];
        foreach (var (fold, score) in target)
        {
            targets[foldIndex[fold]] = score is { } value && double.IsFinite(value) ? value : null;
        }

        var fractions = curve.GroupBy(p => p.Fraction).OrderBy(g => g.Key).Select(g =>
        {
            var byFold = new CurvePoint?[folds.Count];
            foreach (var point in g)
            {
                byFold[foldIndex[point.Fold]] = point;
            }

            return byFold;
        }).ToList();

        var weights = new int[folds.Count];
        Array.Fill(weights, 1);
        var (fitted, sizes, targetMean) = FitDrawn(fractions, targets, weights, maxAsymptote);
        var images = fitted is not null && double.IsFinite(targetMean) ? fitted.ImagesToReach(targetMean) : double.NaN;

        var needed = new List<double>(resamples);
        for (var resample = 0; resample < resamples && folds.Count > 0; resample++)
        {
            Array.Clear(weights);
            for (var draw = 0; draw < folds.Count; draw++)
            {
                weights[random.NextInt(folds.Count)]++;
            }

            var (drawnCurve, _, drawnTarget) = FitDrawn(fractions, targets, weights, maxAsymptote);
            if (drawnCurve is not null && double.IsFinite(drawnTarget))
            {
                needed.Add(drawnCurve.ImagesToReach(drawnTarget));
            }
        }

        needed.Sort();
        var tail = (1 - Level) / 2;
        return new ImagesNeeded(
            fitted, sizes, targetMean, images, needed.Count, needed.Count(double.IsFinite),
            Quantile(needed, 0.5), Quantile(needed, tail), Quantile(needed, 1 - tail));
    }

    /// <summary>
    /// The type-7 (linear) quantile of sorted values, as numpy's default; NaN for none. Next to a +∞ (not reached)
    /// the quantile is +∞ unless it falls exactly on a finite value.
    /// </summary>
    public static double Quantile(IReadOnlyList<double> sorted, double probability)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var position = (sorted.Count - 1) * probability;
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        if (low == high)
        {
            return sorted[low];
        }

        return double.IsPositiveInfinity(sorted[high])
            ? double.PositiveInfinity
            : sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    /// <summary>The curve through the drawn folds' means per fraction, the number of sizes it had, and the drawn folds' mean target.</summary>
    private static (InversePowerLaw? Curve, int Sizes, double Target) FitDrawn(
        List<CurvePoint?[]> fractions, double?[] targets, int[] weights, double maxAsymptote)
    {
        var points = new List<(double ImagesPerClass, double Score)>(fractions.Count);
        foreach (var byFold in fractions)
        {
            double images = 0, score = 0;
            int present = 0, defined = 0;
            for (var fold = 0; fold < weights.Length; fold++)
            {
                if (weights[fold] > 0 && byFold[fold] is { } point)
                {
                    images += weights[fold] * point.ImagesPerClass;
                    present += weights[fold];
                    if (point.Score is { } value && double.IsFinite(value))
                    {
                        score += weights[fold] * value;
                        defined += weights[fold];
                    }
                }
            }

            if (defined > 0)
            {
                points.Add((images / present, score / defined));
            }
        }

        double targetSum = 0;
        var targetCount = 0;
        for (var fold = 0; fold < weights.Length; fold++)
        {
            if (targets[fold] is { } value)
            {
                targetSum += weights[fold] * value;
                targetCount += weights[fold];
            }
        }

        var sizes = points.Select(p => p.ImagesPerClass).Distinct().Count();
        return (InversePowerLaw.Fit(points, maxAsymptote), sizes, targetCount > 0 ? targetSum / targetCount : double.NaN);
    }
}
