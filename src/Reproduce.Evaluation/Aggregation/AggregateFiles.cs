using Reproduce.Core.Planning;

namespace Reproduce.Evaluation.Aggregation;

/// <summary>
/// The aggregate cell's three files, written by the aggregate stage and read by the render stage, in the CSV of
/// <see cref="CsvTable"/>: a number that is not defined (NaN: n = 0, or the spread and interval at n = 1, or a test
/// with too few pairs) is an empty field, which render prints as "n/a"; fractions are written as in cell addresses
/// (<c>1.0</c>, <c>0.25</c>). The readers check the header and name the file, line and column of a field they cannot
/// read.
/// </summary>
public static class AggregateFiles
{
    public const string SummaryFileName = "summary.csv";

    public const string ComparisonsFileName = "comparisons.csv";

    public const string FoldsFileName = "folds.csv";

    public static readonly IReadOnlyList<string> SummaryColumns =
        ["task", "init", "fraction", "metric", "n", "mean", "std", "ci_low", "ci_high", "train_images", "min_class_images"];

    public static readonly IReadOnlyList<string> ComparisonsColumns =
        ["task", "fraction", "metric", "init", "baseline", "n", "mean_difference", "ci_low", "ci_high", "test", "statistic", "p_value"];

    public static readonly IReadOnlyList<string> FoldsColumns =
        ["task", "init", "fold", "fraction", "train_images", "metric", "value"];

    public static void WriteSummary(string path, IEnumerable<SummaryRow> rows) =>
        CsvTable.Write(path, SummaryColumns, rows.Select(r => (IReadOnlyList<string>)
        [
            r.Task, r.Init, Fraction(r.Fraction), r.Metric, CsvTable.Format(r.N), CsvTable.Format(r.Mean), CsvTable.Format(r.Std),
            CsvTable.Format(r.CiLow), CsvTable.Format(r.CiHigh), CsvTable.Format(r.TrainImages), CsvTable.Format(r.MinClassImages),
        ]));

    public static IReadOnlyList<SummaryRow> ReadSummary(string path) =>
        CsvTable.Read(path, SummaryColumns, line => new SummaryRow(
            line.Text(0), line.Text(1), line.Finite(2), line.Text(3), line.Integer(4), line.Real(5), line.Real(6),
            line.Real(7), line.Real(8), line.Finite(9), line.Integer(10)));

    public static void WriteComparisons(string path, IEnumerable<ComparisonRow> rows) =>
        CsvTable.Write(path, ComparisonsColumns, rows.Select(r => (IReadOnlyList<string>)
        [
            r.Task, Fraction(r.Fraction), r.Metric, r.Init, r.Baseline, CsvTable.Format(r.N), CsvTable.Format(r.MeanDifference),
            CsvTable.Format(r.CiLow), CsvTable.Format(r.CiHigh), r.Test, CsvTable.Format(r.Statistic), CsvTable.Format(r.PValue),
        ]));

    public static IReadOnlyList<ComparisonRow> ReadComparisons(string path) =>
        CsvTable.Read(path, ComparisonsColumns, line => new ComparisonRow(
            line.Text(0), line.Finite(1), line.Text(2), line.Text(3), line.Text(4), line.Integer(5), line.Real(6),
            line.Real(7), line.Real(8), line.Text(9), line.Real(10), line.Real(11)));

    public static void WriteFolds(string path, IEnumerable<FoldValue> rows) =>
        CsvTable.Write(path, FoldsColumns, rows.Select(r => (IReadOnlyList<string>)
        [
            r.Task, r.Init, CsvTable.Format(r.Fold), Fraction(r.Fraction), CsvTable.Format(r.TrainImages), r.Metric,
            r.Value is { } value ? CsvTable.Format(value) : "",
        ]));

    public static IReadOnlyList<FoldValue> ReadFolds(string path) =>
        CsvTable.Read(path, FoldsColumns, line => new FoldValue(
            line.Text(0), line.Text(1), line.Integer(2), line.Finite(3), line.Integer(4), line.Text(5), line.Optional(6)));

    private static string Fraction(double fraction) => ExperimentGraph.FormatFraction(fraction);
}
