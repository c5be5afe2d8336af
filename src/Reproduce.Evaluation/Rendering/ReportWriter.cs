using System.Text;
using static Reproduce.Evaluation.Rendering.ReportBlock;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// The experiment's <c>report.md</c>: the <see cref="ReportDocument"/> as Markdown. Figures are linked by their PNG
/// paths in <see cref="RenderedFiles"/>, and table cells escape their pipes. Every block ends its last line and
/// blocks are separated by a blank line, so the same input gives the same bytes.
/// </summary>
public static class ReportWriter
{
    public static string Markdown(RenderInput input)
    {
        var document = ReportDocument.From(input);
        List<string> blocks = [$"# {document.Title}\n", $"Experiment `{document.ExperimentId}`.\n"];
        foreach (var section in document.Sections)
        {
            blocks.Add($"## {section.Title}\n");
            blocks.AddRange(section.Blocks.Select(Block));
        }

        // A blank line between blocks; an empty list (no claims, no cells) renders nothing but keeps the blank line before it.
        return string.Join("\n", blocks);
    }

    private static string Block(ReportBlock block) => block switch
    {
        Heading heading => $"{new string('#', heading.Level)} {heading.Text}\n",
        Paragraph paragraph => paragraph.Text + "\n",
        WordedParagraph paragraph => paragraph.Markdown + "\n",
        BulletList list => string.Concat(list.Items.Select(item => $"- {item}\n")),
        Figure figure => $"![{figure.Caption}]({figure.PngPath}) ([SVG]({figure.SvgPath}))\n",
        PairTable table => "| | |\n|---|---|\n" + string.Concat(table.Pairs.Select(pair => Row([pair.Name, pair.Value]))),
        Table table => TableMarkdown(table),
        Metric metric => TableWriters.Markdown(metric.Content),
        Claims claims => string.Concat(claims.Checks.Select(claim =>
            $"- ({claim.Id}) {claim.Statement} — **{ReportDocument.Verdict(claim.Verdict)}**.\n  {claim.Evidence}\n")),
        Cells cells => string.Concat(cells.List.Select(cell => $"- [`{cell.Address}`]({cell.Link})\n")),
        _ => throw new ArgumentOutOfRangeException(nameof(block), block, "A report block report.md cannot render."),
    };

    /// <summary>A table with its header row, numeric columns right-aligned.</summary>
    internal static string TableMarkdown(Table table) =>
        Row([.. table.Columns.Select(column => column.Header)])
        + "|" + string.Concat(table.Columns.Select(column => column.Numeric ? "---:|" : "---|")) + "\n"
        + string.Concat(table.Rows.Select(Row));

    private static string Row(IReadOnlyList<string> cells)
    {
        var row = new StringBuilder("|");
        foreach (var cell in cells)
        {
            row.Append(' ').Append(TableWriters.EscapeMarkdownCell(cell)).Append(" |");
        }

        return row.Append('\n').ToString();
    }
}
