using System.Globalization;
using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// One task's images-per-class table: a row per metric × init (metrics, then inits, in the input's order; anything not
/// listed after, by name) with the fitted curve, the target it is held against and the images per class needed to
/// reach it. A value the estimate could not give is "n/a"; one whose target is not reached says "not reached", never
/// a number standing for infinity.
/// </summary>
public sealed record ImagesPerClassTable(string Task, IReadOnlyList<ImagesPerClassRow> Rows)
{
    /// <summary>The column headers of <see cref="Cells"/>.</summary>
    public static readonly IReadOnlyList<string> Headers =
        ["Metric", "Init", "Sizes", "Target", "a", "b", "c", "Images per class (fit)", "Bootstrap median [95% interval]", "Reached"];

    /// <summary>Which columns hold numbers (right-aligned).</summary>
    public static readonly IReadOnlyList<bool> Numeric = [false, false, true, true, true, true, true, true, true, true];

    public static ImagesPerClassTable From(RenderInput input, string task) => new(
        task,
        [
            .. input.ImagesPerClass.Where(row => row.Task == task)
                .OrderBy(row => TableWriters.Position(input.Metrics, row.Metric)).ThenBy(row => row.Metric, StringComparer.Ordinal)
                .ThenBy(row => TableWriters.Position(input.Inits, row.Init)).ThenBy(row => row.Init, StringComparer.Ordinal),
        ]);

    /// <summary>Every row as the report's text, in the order of <see cref="Headers"/>.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cells() =>
    [
        .. Rows.Select(row => (IReadOnlyList<string>)
        [
            RenderText.MetricName(row.Metric),
            row.Init,
            row.Sizes.ToString(CultureInfo.InvariantCulture),
            Number(row.Target, RenderText.ThreeDecimals),
            Number(row.A, RenderText.ThreeDecimals),
            Number(row.B, RenderText.FourSignificant),
            Number(row.C, RenderText.ThreeDecimals),
            Images(row.Images),
            row.Resamples == 0 ? "n/a" : $"{Images(row.Median)} [{Images(row.CiLow)}, {Images(row.CiHigh)}]",
            row.Resamples == 0 ? "n/a" : $"{row.Reached.ToString(CultureInfo.InvariantCulture)} of {row.Resamples.ToString(CultureInfo.InvariantCulture)}",
        ]),
    ];

    /// <summary>The table as a report block; report.md, report.html and the table's Markdown file all render this one.</summary>
    internal ReportBlock.Table Block() => new(
        "images-per-class",
        [.. Headers.Select((header, index) => new ReportBlock.Column(header, Numeric[index]))],
        RowHeaders: false,
        Cells());

    /// <summary>The table as Markdown, as report.md shows it.</summary>
    public string Markdown() => ReportWriter.TableMarkdown(Block());

    /// <summary>The table as CSV: the aggregate file's columns and fields (<see cref="AggregateFiles.ImagesPerClassColumns"/>).</summary>
    public string Csv() => CsvTable.Text(AggregateFiles.ImagesPerClassColumns, Rows.Select(AggregateFiles.ImagesPerClassFields));

    /// <summary>Images per class as the tables show them: whole images from 100 up, three significant digits below; "not reached" for +∞.</summary>
    public static string Images(double value) => value switch
    {
        double.PositiveInfinity => AggregateFiles.NotReached,
        double.NaN => "n/a",
        >= 100 => value.ToString("F0", CultureInfo.InvariantCulture),
        _ => value.ToString("G3", CultureInfo.InvariantCulture),
    };

    private static string Number(double value, Func<double, string> format) => double.IsFinite(value) ? format(value) : "n/a";
}
