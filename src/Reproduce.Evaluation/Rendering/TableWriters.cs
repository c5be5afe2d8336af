using System.Text;
using System.Text.RegularExpressions;
using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// A <see cref="MetricTable"/> as Markdown, CSV and LaTeX, and every summary row as the long-form
/// <c>results.csv</c>. Lines end in "\n" whatever the platform, so the same table is the same bytes; the CSV is
/// <see cref="CsvTable"/>'s, with an identifier quoted where it holds a comma, a quote or a line break.
/// </summary>
public static partial class TableWriters
{
    public static string Markdown(MetricTable table)
    {
        var text = new StringBuilder();
        text.Append("| Init |");
        foreach (var fraction in table.Fractions)
        {
            text.Append(' ').Append(RenderText.Percent(fraction)).Append(" |");
        }

        text.Append("\n|---|");
        text.Append(string.Concat(Enumerable.Repeat("---:|", table.Fractions.Count)));
        text.Append('\n');
        for (var row = 0; row < table.Rows.Count; row++)
        {
            text.Append("| ").Append(EscapeMarkdownCell(table.Rows[row].Init)).Append(" |");
            for (var column = 0; column < table.Fractions.Count; column++)
            {
                text.Append(' ').Append(table.CellText(row, column, "±", value => $"**{value}**")).Append(" |");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// The table with numbers instead of text: per fraction its mean, std and n (empty where undefined), headed
    /// <c>mean_0.25</c>, <c>std_0.25</c>, <c>n_0.25</c>.
    /// </summary>
    public static string Csv(MetricTable table)
    {
        var columns = table.Fractions.Select(RenderText.Decimal).SelectMany(suffix => new[] { $"mean_{suffix}", $"std_{suffix}", $"n_{suffix}" });
        return CsvTable.Text(["init", .. columns], table.Rows.Select(row => (IReadOnlyList<string>)[row.Init, .. row.Cells.SelectMany(CsvFields)]));
    }

    /// <summary>A booktabs table float, ready for <c>\input</c> (needs <c>\usepackage{booktabs}</c>).</summary>
    public static string Latex(MetricTable table)
    {
        var text = new StringBuilder();
        text.Append("\\begin{table}[ht]\n\\centering\n");
        // A probe's table says its protocol in the caption and the label, so a document can \input both protocols' tables
        // and fine-tuning's of the same task and metric without two floats reading alike or sharing a label.
        var protocol = table.Protocol is null ? "" : $", {EscapeLatex(RenderText.ProtocolName(table.Protocol))}";
        text.Append($"\\caption{{{EscapeLatex(table.Task)}: {EscapeLatex(RenderText.MetricName(table.Metric))}{protocol}, ")
            .Append("mean $\\pm$ standard deviation over folds by training fraction; best mean per column in bold.}\n");
        var label = table.Protocol is null ? $"{table.Task}-{table.Metric}" : $"{table.Task}-{table.Metric}-{table.Protocol}";
        text.Append($"\\label{{tab:{LabelUnsafe().Replace(label, "-")}}}\n");
        text.Append("\\begin{tabular}{l").Append('r', table.Fractions.Count).Append("}\n\\toprule\nInit");
        foreach (var fraction in table.Fractions)
        {
            text.Append(" & ").Append(EscapeLatex(RenderText.Percent(fraction)));
        }

        text.Append(" \\\\\n\\midrule\n");
        for (var row = 0; row < table.Rows.Count; row++)
        {
            text.Append(EscapeLatex(table.Rows[row].Init));
            for (var column = 0; column < table.Fractions.Count; column++)
            {
                text.Append(" & ").Append(table.CellText(row, column, "$\\pm$", value => $"\\textbf{{{value}}}"));
            }

            text.Append(" \\\\\n");
        }

        text.Append("\\bottomrule\n\\end{tabular}\n\\end{table}\n");
        return text.ToString();
    }

    /// <summary>
    /// Every summary row, one per line, with n and the 95% CI (REPRODUCIBILITY.md §4): ordered by the input's task, metric
    /// and init order (anything not listed after, by name), then by fraction, largest first.
    /// </summary>
    public static string ResultsCsv(RenderInput input) =>
        CsvTable.Text(
            AggregateFiles.SummaryColumns,
            input.Summaries
                .OrderBy(row => Position(input.Tasks, row.Task)).ThenBy(row => row.Task, StringComparer.Ordinal)
                .ThenBy(row => Position(input.Metrics, row.Metric)).ThenBy(row => row.Metric, StringComparer.Ordinal)
                .ThenBy(row => Position(input.Inits, row.Init)).ThenBy(row => row.Init, StringComparer.Ordinal)
                .ThenByDescending(row => row.Fraction)
                .Select(row => (IReadOnlyList<string>)
                [
                    row.Task, row.Init, RenderText.Decimal(row.Fraction), row.Metric, CsvTable.Format(row.N), CsvTable.Format(row.Mean),
                    CsvTable.Format(row.Std), CsvTable.Format(row.CiLow), CsvTable.Format(row.CiHigh), CsvTable.Format(row.TrainImages),
                    CsvTable.Format(row.MinClassImages), CsvTable.Format(row.ImagesPerClass),
                ]));

    /// <summary>A table cell's mean, std and n, or three empty fields where the init has no value at that fraction.</summary>
    private static string[] CsvFields(SummaryRow? cell) =>
        cell is null ? ["", "", ""] : [CsvTable.Format(cell.Mean), CsvTable.Format(cell.Std), CsvTable.Format(cell.N)];

    internal static string EscapeMarkdownCell(string text) => text.Replace("|", "\\|");

    /// <summary>Text as LaTeX typesets it literally: the ten special characters escaped.</summary>
    public static string EscapeLatex(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var character in text)
        {
            escaped.Append(character switch
            {
                '\\' => "\\textbackslash{}",
                '&' or '%' or '$' or '#' or '_' or '{' or '}' => "\\" + character,
                '~' => "\\textasciitilde{}",
                '^' => "\\textasciicircum{}",
                _ => character.ToString(),
            });
        }

        return escaped.ToString();
    }

    /// <summary>Where <paramref name="value"/> stands in <paramref name="order"/>; past the end when not listed.</summary>
    internal static int Position(IReadOnlyList<string> order, string value)
    {
        for (var index = 0; index < order.Count; index++)
        {
            if (order[index] == value)
            {
                return index;
            }
        }

        return order.Count;
    }

    [GeneratedRegex("[^A-Za-z0-9-]")]
    private static partial Regex LabelUnsafe();
}
