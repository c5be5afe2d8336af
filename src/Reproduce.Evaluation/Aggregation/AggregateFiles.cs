using Reproduce.Core.Planning;

namespace Reproduce.Evaluation.Aggregation;

/// <summary>
/// The aggregate cell's four files, written by the aggregate stage and read by the render stage, in the CSV of
/// <see cref="CsvTable"/>: a number that is not defined (NaN: n = 0, or the spread and interval at n = 1, or a test
/// with too few pairs, or a learning curve with too few sizes) is an empty field, which render prints as "n/a"; an
/// images-per-class value whose target is not reached is <see cref="NotReached"/>; fractions are written as in cell addresses
/// (<c>1.0</c>, <c>0.25</c>). The readers check the header and name the file, line and column of a field they cannot
/// read.
/// </summary>
public static class AggregateFiles
{
    public const string SummaryFileName = "summary.csv";

    public const string ComparisonsFileName = "comparisons.csv";

    public const string FoldsFileName = "folds.csv";

    public const string ImagesPerClassFileName = "images_per_class.csv";

    /// <summary>How <c>images_per_class.csv</c> writes an images value whose target is not reached (never <c>inf</c>).</summary>
    public const string NotReached = "not reached";

    public static readonly IReadOnlyList<string> SummaryColumns =
        ["task", "init", "fraction", "metric", "n", "mean", "std", "ci_low", "ci_high", "train_images", "min_class_images", "images_per_class"];

    public static readonly IReadOnlyList<string> ComparisonsColumns =
        ["task", "fraction", "metric", "init", "baseline", "n", "mean_difference", "ci_low", "ci_high", "test", "statistic", "p_value"];

    public static readonly IReadOnlyList<string> FoldsColumns =
        ["task", "init", "fold", "fraction", "train_images", "metric", "value"];

    public static readonly IReadOnlyList<string> ImagesPerClassColumns =
        ["task", "metric", "init", "sizes", "target", "a", "b", "c", "images", "resamples", "reached", "median", "ci_low", "ci_high"];

    public static void WriteSummary(string path, IEnumerable<SummaryRow> rows) =>
        CsvTable.Write(path, SummaryColumns, rows.Select(r => (IReadOnlyList<string>)
        [
            r.Task, r.Init, Fraction(r.Fraction), r.Metric, CsvTable.Format(r.N), CsvTable.Format(r.Mean), CsvTable.Format(r.Std),
            CsvTable.Format(r.CiLow), CsvTable.Format(r.CiHigh), CsvTable.Format(r.TrainImages), CsvTable.Format(r.MinClassImages),
            CsvTable.Format(r.ImagesPerClass),
        ]));

    public static IReadOnlyList<SummaryRow> ReadSummary(string path) =>
        CsvTable.Read(path, SummaryColumns, line => new SummaryRow(
            line.Text(0), line.Text(1), line.Finite(2), line.Text(3), line.Integer(4), line.Real(5), line.Real(6),
            line.Real(7), line.Real(8), line.Finite(9), line.Integer(10), line.Finite(11)));

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

    public static void WriteImagesPerClass(string path, IEnumerable<ImagesPerClassRow> rows) =>
        CsvTable.Write(path, ImagesPerClassColumns, rows.Select(ImagesPerClassFields));

    public static IReadOnlyList<ImagesPerClassRow> ReadImagesPerClass(string path) =>
        CsvTable.Read(path, ImagesPerClassColumns, line => new ImagesPerClassRow(
            line.Text(0), line.Text(1), line.Text(2), line.Integer(3), line.Real(4), line.Real(5), line.Real(6), line.Real(7),
            Images(line, 8), line.Integer(9), line.Integer(10), Images(line, 11), Images(line, 12), Images(line, 13)));

    /// <summary>The fields of an <c>images_per_class.csv</c> line, shared with the rendered table's CSV.</summary>
    public static IReadOnlyList<string> ImagesPerClassFields(ImagesPerClassRow r) =>
    [
        r.Task, r.Metric, r.Init, CsvTable.Format(r.Sizes), CsvTable.Format(r.Target), CsvTable.Format(r.A), CsvTable.Format(r.B),
        CsvTable.Format(r.C), Images(r.Images), CsvTable.Format(r.Resamples), CsvTable.Format(r.Reached), Images(r.Median),
        Images(r.CiLow), Images(r.CiHigh),
    ];

    /// <summary>An images value: a number, <see cref="NotReached"/> for +∞, empty where not defined.</summary>
    private static string Images(double value) => double.IsPositiveInfinity(value) ? NotReached : CsvTable.Format(value);

    private static double Images(CsvTable.Line line, int column) =>
        line.Is(column, NotReached) ? double.PositiveInfinity : line.NonNegativeOrUndefined(column);

    private static string Fraction(double fraction) => ExperimentGraph.FormatFraction(fraction);
}
