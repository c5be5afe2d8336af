using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// One block of a <see cref="ReportSection"/>, in terms both report formats render: <see cref="ReportWriter"/> as
/// Markdown, <see cref="HtmlReportWriter"/> as HTML. Text from data is kept as it is; each writer escapes it for its
/// format.
/// </summary>
internal abstract record ReportBlock
{
    /// <summary>A heading inside a section: 3 for a task, 4 for a metric; in the probes' section 3 for a protocol, 4 for a task, 5 for a metric.</summary>
    public sealed record Heading(int Level, string Text) : ReportBlock;

    /// <summary>Report prose the same in both formats; its only markup is Markdown code spans (<c>`…`</c>).</summary>
    public sealed record Paragraph(string Text) : ReportBlock;

    /// <summary>
    /// Prose worded for each format: <paramref name="Markdown"/> as it stands in report.md, <paramref name="Html"/> the
    /// content of the paragraph in report.html, markup included (the page says less and links more).
    /// </summary>
    public sealed record WordedParagraph(string Markdown, string Html) : ReportBlock;

    /// <summary>A bulleted list of text from data (the manifest's deviations).</summary>
    public sealed record BulletList(IReadOnlyList<string> Items) : ReportBlock;

    /// <summary>A figure by its files in <see cref="RenderedFiles"/>: report.md shows the PNG, report.html embeds the SVG.</summary>
    public sealed record Figure(string Caption, string SvgPath, string PngPath) : ReportBlock;

    /// <summary>A two-column table of names and values, without a header row.</summary>
    public sealed record PairTable(string Class, IReadOnlyList<(string Name, string Value)> Pairs) : ReportBlock;

    /// <summary>
    /// A table with a header row. A numeric column is right-aligned; with <paramref name="RowHeaders"/>, each row's
    /// first cell heads its row. <paramref name="Class"/> is the HTML table's class.
    /// </summary>
    public sealed record Table(string Class, IReadOnlyList<Column> Columns, bool RowHeaders, IReadOnlyList<IReadOnlyList<string>> Rows) : ReportBlock;

    /// <summary>A task's table for one metric (fine-tuning's or a protocol's), with its files (CSV and LaTeX).</summary>
    public sealed record Metric(MetricTable Content) : ReportBlock;

    /// <summary>The claim checks, each with its verdict and evidence.</summary>
    public sealed record Claims(IReadOnlyList<ClaimCheck> Checks) : ReportBlock;

    /// <summary>The cells the numbers come from, each linked to its folder in the cache.</summary>
    public sealed record Cells(IReadOnlyList<RenderedCell> List) : ReportBlock;

    /// <summary>A column of a <see cref="Table"/>.</summary>
    public sealed record Column(string Header, bool Numeric = false);
}
