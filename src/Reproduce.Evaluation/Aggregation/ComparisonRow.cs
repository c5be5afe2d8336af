namespace Reproduce.Evaluation.Aggregation;

/// <summary>
/// One line of an aggregate cell's <c>comparisons.csv</c>: <see cref="Init"/> against <see cref="Baseline"/> on one
/// task × fraction × table metric, paired over the folds both have (DESIGN.md §7 "Significance"): the mean of the
/// per-fold differences (Init − Baseline), its Student-t 95% CI, and the test named in <see cref="Test"/>
/// (<c>paired-t</c>, plus a second row with <c>wilcoxon</c> when n ≥ 6) with its statistic and two-sided p-value.
/// </summary>
public sealed record ComparisonRow(
    string Task,
    double Fraction,
    string Metric,
    string Init,
    string Baseline,
    int N,
    double MeanDifference,
    double CiLow,
    double CiHigh,
    string Test,
    double Statistic,
    double PValue);
