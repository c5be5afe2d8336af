using Reproduce.Core.Randomness;
using Reproduce.Evaluation.Statistics;

namespace Reproduce.Evaluation.Aggregation;

/// <summary>
/// Turns one task's finetune results into the rows of its aggregate cell (DESIGN.md §1): per-fold values, one summary
/// row per init × fraction × table metric, the paired comparisons of DESIGN.md §7 "Significance" and the images per
/// class each init needs to reach scratch's full-data score. Every output lists
/// the inits in the given order (the manifest's <c>finetune.inits</c>), fractions from the largest down, then the
/// metrics in the given order. A metric a fold does not define is left out of that init × fraction's statistics.
/// </summary>
public sealed class Aggregator
{
    /// <summary>Test name of the paired t-test rows in <c>comparisons.csv</c>.</summary>
    public const string PairedT = "paired-t";

    /// <summary>Test name of the Wilcoxon signed-rank rows in <c>comparisons.csv</c>.</summary>
    public const string Wilcoxon = "wilcoxon";

    /// <summary>Wilcoxon's two-sided p cannot reach 0.05 with fewer pairs (its minimum at n = 5 is 0.0625).</summary>
    public const int WilcoxonFromPairs = 6;

    /// <summary>
    /// Bootstrap resamples of the folds per images-per-class estimate: enough that the 2.5% tail rests on 25 draws, and
    /// cheap (a curve fit is a few hundred closed-form solves; about 0.1 s per init and metric on one core).
    /// </summary>
    public const int ImagesPerClassResamples = 1000;

    /// <summary>The training fraction whose scratch score is the images-per-class target.</summary>
    public const double FullData = 1.0;

    private readonly string task;
    private readonly IReadOnlyList<string> inits;
    private readonly IReadOnlyList<string> metrics;
    private readonly IReadOnlyList<double> fractions;
    private readonly Dictionary<(string Init, double Fraction), List<CellResult>> cells;

    /// <param name="task">The task every cell belongs to.</param>
    /// <param name="inits">Every init of the cells, in the order outputs list them.</param>
    /// <param name="metrics">The table metrics (<see cref="TableMetrics"/>), in the order outputs list them.</param>
    /// <param name="results">The task's finetune results, one per init × fold × fraction.</param>
    public Aggregator(string task, IReadOnlyList<string> inits, IReadOnlyList<string> metrics, IReadOnlyList<CellResult> results)
    {
        if (metrics.FirstOrDefault(m => !TableMetrics.All.Contains(m)) is { } unknown)
        {
            throw new ArgumentException($"'{unknown}' is not a table metric ({string.Join(", ", TableMetrics.All)})", nameof(metrics));
        }

        foreach (var result in results)
        {
            if (result.Task != task || !inits.Contains(result.Init))
            {
                throw new ArgumentException($"{TableMetrics.Describe(result)} does not belong to task '{task}' with inits {string.Join(", ", inits)}", nameof(results));
            }
        }

        if (results.GroupBy(r => (r.Init, r.Fold, r.Fraction)).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new ArgumentException($"{TableMetrics.Describe(duplicate.First())} appears {duplicate.Count()} times", nameof(results));
        }

        this.task = task;
        this.inits = inits;
        this.metrics = metrics;
        fractions = [.. results.Select(r => r.Fraction).Distinct().OrderDescending()];
        cells = results.GroupBy(r => (r.Init, r.Fraction)).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Fold).ToList());
    }

    /// <summary>Every cell's value of every metric, null where not defined; folds in ascending order.</summary>
    public IReadOnlyList<FoldValue> Folds() =>
    [
        .. from init in inits
           from fraction in fractions
           from cell in CellsOf(init, fraction)
           from metric in metrics
           select new FoldValue(task, init, cell.Fold, fraction, cell.TrainImages, metric, TableMetrics.ValueOf(cell, metric)),
    ];

    /// <summary>
    /// One row per init × fraction that has cells × metric: n counts the folds that define the metric (0 when none
    /// does, with every statistic NaN); the training-set size is the mean over all the init × fraction's folds and
    /// <see cref="SummaryRow.MinClassImages"/> the smallest per-class count among them.
    /// </summary>
    public IReadOnlyList<SummaryRow> Summary() =>
    [
        .. from init in inits
           from fraction in fractions
           let foldCells = CellsOf(init, fraction)
           where foldCells.Count > 0
           from metric in metrics
           let estimate = Descriptive.Estimate([.. foldCells.Select(c => TableMetrics.ValueOf(c, metric)).OfType<double>()])
           select new SummaryRow(
               task, init, fraction, metric, estimate.N, estimate.Mean, estimate.Std, estimate.CiLow, estimate.CiHigh,
               foldCells.Average(c => (double)c.TrainImages), foldCells.SelectMany(c => c.TrainImagesPerClass).Min(),
               foldCells.Average(ImagesPerClassOf)),
    ];

    /// <summary>
    /// Every pre-trained init against <c>scratch</c>, then <c>spark</c> against each contrastive method, as far as
    /// both inits are among the cells; per fraction where both have cells and per metric, paired over the folds where
    /// both define the metric: a <see cref="PairedT"/> row (its statistics NaN below two pairs), and a
    /// <see cref="Wilcoxon"/> row with the same mean difference and interval from <see cref="WilcoxonFromPairs"/> pairs.
    /// Both rows give the number of pairs as n; the Wilcoxon test itself drops pairs whose difference is zero
    /// (<see cref="WilcoxonSignedRankResult"/>).
    /// </summary>
    public IReadOnlyList<ComparisonRow> Comparisons()
    {
        var rows = new List<ComparisonRow>();
        foreach (var (init, baseline) in Pairs())
        {
            foreach (var fraction in fractions)
            {
                var baselineByFold = CellsOf(baseline, fraction).ToDictionary(c => c.Fold);
                var initCells = CellsOf(init, fraction);
                if (initCells.Count == 0 || baselineByFold.Count == 0)
                {
                    continue;
                }

                foreach (var metric in metrics)
                {
                    var pairs = initCells
                        .Where(c => baselineByFold.ContainsKey(c.Fold))
                        .Select(c => (Init: TableMetrics.ValueOf(c, metric), Baseline: TableMetrics.ValueOf(baselineByFold[c.Fold], metric)))
                        .Where(p => p.Init.HasValue && p.Baseline.HasValue)
                        .ToList();
                    var differences = pairs.Select(p => p.Init!.Value - p.Baseline!.Value).ToList();
                    var t = PairedTTestResult.Of(differences);
                    ComparisonRow Row(string test, double statistic, double p) =>
                        new(task, fraction, metric, init, baseline, t.N, t.MeanDifference, t.CiLow, t.CiHigh, test, statistic, p);
                    rows.Add(Row(PairedT, t.Statistic, t.PValue));
                    if (t.N >= WilcoxonFromPairs)
                    {
                        var wilcoxon = WilcoxonSignedRankResult.Of(differences);
                        rows.Add(Row(Wilcoxon, wilcoxon.Statistic, wilcoxon.PValue));
                    }
                }
            }
        }

        return rows;
    }

    /// <summary>
    /// Per metric and init (in the given orders), the images per class at which the init's learning curve reaches
    /// scratch's mean score at full data (<see cref="FullData"/>), with a bootstrap over folds
    /// (<see cref="ImagesToTarget"/>, <see cref="ImagesPerClassResamples"/> resamples). A cell's images per class is
    /// its training-set size over its class count. The resamples are drawn from a generator named by task, metric and
    /// init (the aggregate has no experiment seed and needs none), so the same results give the same interval. No rows
    /// without scratch cells at full data: there is no target then.
    /// </summary>
    public IReadOnlyList<ImagesPerClassRow> ImagesPerClass()
    {
        var fullData = CellsOf(StudyInits.Scratch, FullData);
        if (fullData.Count == 0)
        {
            return [];
        }

        var rows = new List<ImagesPerClassRow>();
        foreach (var metric in metrics)
        {
            var target = fullData.Select(c => (c.Fold, TableMetrics.ValueOf(c, metric))).ToList();
            foreach (var init in inits)
            {
                var curve = fractions
                    .SelectMany(fraction => CellsOf(init, fraction).Select(c => new CurvePoint(c.Fold, fraction, ImagesPerClassOf(c), TableMetrics.ValueOf(c, metric))))
                    .ToList();
                var random = SplitMix64.For(0, $"images-per-class/{task}/{metric}/{init}");
                var needed = ImagesToTarget.Estimate(curve, target, ImagesPerClassResamples, random);
                rows.Add(new ImagesPerClassRow(
                    task, metric, init, needed.Sizes, needed.Target, needed.Curve?.A ?? double.NaN, needed.Curve?.B ?? double.NaN,
                    needed.Curve?.C ?? double.NaN, needed.Images, needed.Resamples, needed.Reached, needed.Median, needed.CiLow, needed.CiHigh));
            }
        }

        return rows;
    }

    /// <summary>A cell's training images per class: its training-set size over its class count.</summary>
    private static double ImagesPerClassOf(CellResult cell) => (double)cell.TrainImages / cell.Classes;

    private IEnumerable<(string Init, string Baseline)> Pairs()
    {
        if (inits.Contains(StudyInits.Scratch))
        {
            foreach (var init in inits.Where(i => i != StudyInits.Scratch))
            {
                yield return (init, StudyInits.Scratch);
            }
        }

        if (inits.Contains(StudyInits.Spark))
        {
            foreach (var contrastive in inits.Where(StudyInits.Contrastive.Contains))
            {
                yield return (StudyInits.Spark, contrastive);
            }
        }
    }

    private IReadOnlyList<CellResult> CellsOf(string init, double fraction) =>
        cells.TryGetValue((init, fraction), out var found) ? found : [];
}
