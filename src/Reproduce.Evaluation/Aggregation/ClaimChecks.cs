using System.Globalization;
using Reproduce.Core.Planning;

namespace Reproduce.Evaluation.Aggregation;

/// <summary>
/// The study's three claims, checked on every task's <see cref="SummaryRow"/>s (all aggregate cells' summary.csv
/// together). A summary row is <em>defined</em> when n &gt; 0 and its mean is finite; rows that are not defined never
/// count for or against a claim, but a claim whose verdict hangs on one is <see cref="ClaimVerdict.NotEvaluable"/>.
/// Numbers in the evidence are means over folds, to four decimals.
/// </summary>
public static class ClaimChecks
{
    /// <summary>Claim (c)'s F1 a pre-trained model should reach.</summary>
    public const double F1Threshold = 0.7;

    /// <summary>Claim (c)'s training images per class (<see cref="SummaryRow.MinClassImages"/>) from which it should reach it.</summary>
    public const int ImagesPerClassThreshold = 60;

    public static IReadOnlyList<ClaimCheck> Evaluate(IReadOnlyList<SummaryRow> rows) =>
        [SparkLeadsWhereDataIsScarcest(rows), SparkDropsLeast(rows), SixtyImagesPerClassSuffice(rows)];

    /// <summary>
    /// Claim (a). The task with the fewest training images is the one whose largest <see cref="SummaryRow.TrainImages"/>
    /// at fraction 1.0 is smallest (the first listed on a tie), named in the statement. On it, at its smallest
    /// fraction with AUC rows, the claim holds when SparK's mean AUC is strictly above every other init's defined mean
    /// AUC. Not evaluable when no task has rows at fraction 1.0, the task has no AUC rows, SparK's AUC there is missing
    /// or not defined, or no other init's is defined. A task with a single fraction is evaluated at that fraction.
    /// </summary>
    public static ClaimCheck SparkLeadsWhereDataIsScarcest(IReadOnlyList<SummaryRow> rows)
    {
        const string Id = "a";
        static string Statement(string task) => $"On {task}, SparK has the highest mean AUC of all inits at the smallest training fraction.";
        var sizes = rows.Where(r => r.Fraction == 1.0)
            .GroupBy(r => r.Task)
            .Select(g => (Task: g.Key, Images: g.Max(r => r.TrainImages)))
            .ToList();
        if (sizes.Count == 0)
        {
            return new ClaimCheck(Id, Statement("the task with the fewest training images"), ClaimVerdict.NotEvaluable,
                "No task has results at fraction 1.0, so the task with the fewest training images is unknown.");
        }

        var task = sizes.MinBy(s => s.Images).Task;
        var statement = Statement($"{task}, the task with the fewest training images");
        var evidence = $"Training images at fraction 1.0: {string.Join(", ", sizes.OrderBy(s => s.Images).Select(s => $"{s.Task} {s.Images.ToString("0.#", CultureInfo.InvariantCulture)}"))}.";
        var auc = rows.Where(r => r.Task == task && r.Metric == TableMetrics.Auc).ToList();
        if (auc.Count == 0)
        {
            return new ClaimCheck(Id, statement, ClaimVerdict.NotEvaluable, $"{evidence} {task} has no AUC results.");
        }

        var fraction = auc.Min(r => r.Fraction);
        var atFraction = auc.Where(r => r.Fraction == fraction).ToList();
        evidence += $" Mean AUC on {task} at fraction {Fraction(fraction)}: {string.Join(", ", atFraction.Select(r => $"{r.Init} {Mean(r)}"))}.";
        var spark = atFraction.FirstOrDefault(r => r.Init == StudyInits.Spark);
        if (spark is null || !Defined(spark))
        {
            return new ClaimCheck(Id, statement, ClaimVerdict.NotEvaluable, $"{evidence} SparK has no defined AUC there.");
        }

        var others = atFraction.Where(r => r.Init != StudyInits.Spark && StudyInits.IsStudyInit(r.Init) && Defined(r)).ToList();
        if (others.Count == 0)
        {
            return new ClaimCheck(Id, statement, ClaimVerdict.NotEvaluable, $"{evidence} No other init has a defined AUC there.");
        }

        var best = others.MaxBy(r => r.Mean)!;
        return spark.Mean > best.Mean
            ? new ClaimCheck(Id, statement, ClaimVerdict.Holds, $"{evidence} SparK leads the next best, {best.Init}, by {Number(spark.Mean - best.Mean)}.")
            : new ClaimCheck(Id, statement, ClaimVerdict.DoesNotHold, $"{evidence} {best.Init} reaches {Number(best.Mean)}, SparK {Number(spark.Mean)}.");
    }

    /// <summary>
    /// Claim (b). On each task with AUC rows, an init's drop is its mean AUC at the task's largest fraction minus its
    /// mean AUC at the smallest. The claim holds when, on every task, SparK's drop is strictly smaller than the drop of
    /// each contrastive method (byol, mocov2, swav) present anywhere in the rows. One task where it is not is enough
    /// for <see cref="ClaimVerdict.DoesNotHold"/>. Otherwise it is not evaluable when there are no AUC rows, no SparK or
    /// no contrastive method, a task has a single fraction, or a drop a comparison needs is missing or not defined.
    /// </summary>
    public static ClaimCheck SparkDropsLeast(IReadOnlyList<SummaryRow> rows)
    {
        const string Id = "b";
        var statement = $"On every task, SparK's mean AUC drops less from the largest to the smallest training fraction than that of each contrastive method ({string.Join(", ", StudyInits.Contrastive)}).";
        var auc = rows.Where(r => r.Metric == TableMetrics.Auc).ToList();
        var contrastive = StudyInits.Contrastive.Where(m => auc.Any(r => r.Init == m)).ToList();
        if (auc.Count == 0 || !auc.Any(r => r.Init == StudyInits.Spark) || contrastive.Count == 0)
        {
            var missing = auc.Count == 0 ? "no AUC results" : contrastive.Count == 0 ? "no contrastive method among the AUC results" : "no SparK AUC results";
            return new ClaimCheck(Id, statement, ClaimVerdict.NotEvaluable, $"There are {missing}.");
        }

        var drops = new List<string>();
        var violations = new List<string>();
        var unknown = new List<string>();
        foreach (var task in auc.Select(r => r.Task).Distinct())
        {
            var taskRows = auc.Where(r => r.Task == task).ToList();
            var (largest, smallest) = (taskRows.Max(r => r.Fraction), taskRows.Min(r => r.Fraction));
            if (largest == smallest)
            {
                unknown.Add($"{task} has a single fraction ({Fraction(largest)})");
                continue;
            }

            double? Drop(string init) =>
                taskRows.FirstOrDefault(r => r.Init == init && r.Fraction == largest) is { } full && Defined(full)
                && taskRows.FirstOrDefault(r => r.Init == init && r.Fraction == smallest) is { } reduced && Defined(reduced)
                    ? full.Mean - reduced.Mean
                    : null;

            var spark = Drop(StudyInits.Spark);
            drops.Add($"{task} ({Fraction(largest)} → {Fraction(smallest)}): {string.Join(", ", new[] { StudyInits.Spark }.Concat(contrastive).Select(i => $"{i} {Optional(Drop(i))}"))}");
            foreach (var method in contrastive)
            {
                var other = Drop(method);
                if (spark is null || other is null)
                {
                    unknown.Add($"on {task} the drop of {(spark is null ? StudyInits.Spark : method)} is not defined");
                }
                else if (!(spark < other))
                {
                    violations.Add($"on {task} SparK drops {Number(spark.Value)}, {method} {Number(other.Value)}");
                }
            }
        }

        var evidence = $"AUC drop (mean at the largest fraction − mean at the smallest): {(drops.Count > 0 ? string.Join("; ", drops) : "none computable")}.";
        return violations.Count > 0
            ? new ClaimCheck(Id, statement, ClaimVerdict.DoesNotHold, $"{evidence} Not smaller: {string.Join("; ", violations)}.")
            : unknown.Count > 0
                ? new ClaimCheck(Id, statement, ClaimVerdict.NotEvaluable, $"{evidence} Not evaluable: {string.Join("; ", unknown)}.")
                : new ClaimCheck(Id, statement, ClaimVerdict.Holds, evidence);
    }

    /// <summary>
    /// Claim (c), the study's "at least ~60 images per class" advice, on the F1 rows of every pre-trained init (every
    /// init but scratch): a setting (task × init × fraction) is large when its <see cref="SummaryRow.MinClassImages"/>
    /// ≥ 60. The claim holds when every large setting's mean F1 is at least 0.7 (so every setting under 0.7 is below 60
    /// images per class). One large setting under 0.7 is enough for <see cref="ClaimVerdict.DoesNotHold"/>. Otherwise it
    /// is not evaluable when there are no pre-trained F1 rows, no defined setting on one side of the threshold (the
    /// advice is then untested), or a large setting's F1 is not defined.
    /// </summary>
    public static ClaimCheck SixtyImagesPerClassSuffice(IReadOnlyList<SummaryRow> rows)
    {
        const string Id = "c";
        var statement = $"With pre-training, every setting with at least {ImagesPerClassThreshold} training images per class reaches a mean F1 of at least {Number(F1Threshold, "0.0")}, and the settings under {Number(F1Threshold, "0.0")} all have fewer.";
        var f1 = rows.Where(r => r.Metric == TableMetrics.F1 && r.Init != StudyInits.Scratch && StudyInits.IsStudyInit(r.Init)).ToList();
        if (f1.Count == 0)
        {
            return new ClaimCheck(Id, statement, ClaimVerdict.NotEvaluable, "There are no F1 results of a pre-trained init.");
        }

        var large = f1.Where(r => r.MinClassImages >= ImagesPerClassThreshold).ToList();
        var largeDefined = large.Where(Defined).ToList();
        var smallDefined = f1.Where(r => r.MinClassImages < ImagesPerClassThreshold && Defined(r)).ToList();
        var failures = largeDefined.Where(r => r.Mean < F1Threshold).ToList();
        var smallFailures = smallDefined.Where(r => r.Mean < F1Threshold).ToList();
        var counts = $"{largeDefined.Count} pre-trained setting(s) with at least {ImagesPerClassThreshold} images per class and {smallDefined.Count} below have a defined F1.";
        if (failures.Count > 0)
        {
            return new ClaimCheck(Id, statement, ClaimVerdict.DoesNotHold, $"{counts} Under {Number(F1Threshold, "0.0")} with at least {ImagesPerClassThreshold} per class: {Settings(failures)}.");
        }

        if (largeDefined.Count == 0 || smallDefined.Count == 0)
        {
            return new ClaimCheck(Id, statement, ClaimVerdict.NotEvaluable, $"{counts} The threshold is not tested without settings on both sides of it.");
        }

        var lowest = largeDefined.MinBy(r => r.Mean)!;
        var evidence = $"{counts} The lowest F1 with at least {ImagesPerClassThreshold} per class is {Settings([lowest])}; under {Number(F1Threshold, "0.0")}, all below {ImagesPerClassThreshold} per class: {(smallFailures.Count > 0 ? Settings(smallFailures) : "none")}.";
        var undefined = large.Where(r => !Defined(r)).ToList();
        return undefined.Count > 0
            ? new ClaimCheck(Id, statement, ClaimVerdict.NotEvaluable, $"{evidence} F1 is not defined for {string.Join(", ", undefined.Select(Setting))}.")
            : new ClaimCheck(Id, statement, ClaimVerdict.Holds, evidence);
    }

    private static bool Defined(SummaryRow row) => row.N > 0 && double.IsFinite(row.Mean);

    private static string Setting(SummaryRow row) => $"{row.Task}/{row.Init}/{Fraction(row.Fraction)}";

    private static string Settings(IEnumerable<SummaryRow> rows) =>
        string.Join(", ", rows.Select(r => $"{Setting(r)} {Number(r.Mean)} ({r.MinClassImages} per class)"));

    private static string Mean(SummaryRow row) => Defined(row) ? $"{Number(row.Mean)} (n = {row.N})" : "n/a";

    private static string Optional(double? value) => value is { } defined ? Number(defined) : "n/a";

    private static string Number(double value, string format = "0.0000") => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Fraction(double fraction) => ExperimentGraph.FormatFraction(fraction);
}
