using System.Text;
using Reproduce.Evaluation.Aggregation;
using static Reproduce.Evaluation.Rendering.ReportBlock;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// The experiment's <c>report.html</c>: the <see cref="ReportDocument"/> that <c>report.md</c> renders too, as one
/// self-contained page. The styles are inline, every figure is embedded as its SVG file in a <c>data:</c> URI (an
/// inline <c>&lt;svg&gt;</c> would share its clip-path ids with the other figures' in one document), and the page
/// makes no request and runs no script. Links to the tables' and figures' files are relative, as in <c>report.md</c>.
/// Every string that comes from data is HTML-escaped. Lines end in "\n" and nothing carries a time but the provenance's row, which stands on a line of its
/// own, so the same input gives the same bytes.
/// </summary>
public static class HtmlReportWriter
{
    private const string Style = """
        body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; color: #222; margin: 2em auto; max-width: 1100px; padding: 0 1em; line-height: 1.45; }
        h1 { border-bottom: 2px solid #ccc; padding-bottom: .2em; }
        h2 { border-bottom: 1px solid #ddd; padding-bottom: .15em; margin-top: 2em; }
        nav a { margin-right: 1em; }
        table { border-collapse: collapse; margin: .8em 0 1.2em; }
        th, td { border: 1px solid #ccc; padding: .25em .6em; }
        thead th { background: #f3f3f3; }
        tbody th { text-align: left; }
        td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
        td.best { font-weight: bold; }
        figure { margin: 1em 0 2em; }
        figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption { font-size: .9em; color: #555; }
        code { background: #f5f5f5; padding: 0 .2em; }
        .holds { color: #1a7f37; font-weight: bold; }
        .does-not-hold { color: #b42318; font-weight: bold; }
        .not-evaluable { color: #8a6d00; font-weight: bold; }
        """;

    /// <summary>The page; <paramref name="readFigure"/> gives a figure file's bytes by its path in <see cref="RenderedFiles"/>.</summary>
    public static string Html(RenderInput input, Func<string, byte[]> readFigure)
    {
        var document = ReportDocument.From(input);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append($"<title>{Escape(document.Title)}</title>\n<style>\n{Style}</style>\n</head>\n<body>\n")
            .Append($"<h1>{Escape(document.Title)}</h1>\n<p>Experiment <code>{Escape(document.ExperimentId)}</code>. ")
            .Append($"The same report as Markdown: <a href=\"{RenderedFiles.Report}\">{RenderedFiles.Report}</a>.</p>\n")
            .Append("<nav>")
            .AppendJoin("", document.Sections.Select(section => $"<a href=\"#{section.Id}\">{Escape(section.NavName)}</a>"))
            .Append("</nav>\n");
        foreach (var section in document.Sections)
        {
            html.Append($"<h2 id=\"{section.Id}\">{Escape(section.Title)}</h2>\n");
            foreach (var block in section.Blocks)
            {
                AppendBlock(html, block, readFigure);
            }
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>
    /// Text as HTML shows it literally, in element content and in quoted attribute values alike. Not
    /// <see cref="System.Net.WebUtility.HtmlEncode(string)"/>, which escapes the same five characters but also writes
    /// U+00A0–U+00FF (the tables' ±, an é in a name) and every character past U+FFFF as numeric references: the page,
    /// UTF-8 throughout, needs neither, and its bytes would change.
    /// </summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var character in text)
        {
            escaped.Append(character switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => character.ToString(),
            });
        }

        return escaped.ToString();
    }

    private static void AppendBlock(StringBuilder html, ReportBlock block, Func<string, byte[]> readFigure)
    {
        switch (block)
        {
            case Heading heading:
                html.Append($"<h{heading.Level}>{Escape(heading.Text)}</h{heading.Level}>\n");
                break;
            case Paragraph paragraph:
                html.Append($"<p>{InlineCode(paragraph.Text)}</p>\n");
                break;
            case WordedParagraph paragraph:
                html.Append($"<p>{paragraph.Html}</p>\n");
                break;
            case BulletList list:
                AppendList(html, "<ul>", list.Items.Select(Escape));
                break;
            case Figure figure:
                AppendFigure(html, figure, readFigure);
                break;
            case PairTable table:
                html.Append($"<table class=\"{table.Class}\">\n<tbody>\n");
                foreach (var (name, value) in table.Pairs)
                {
                    html.Append($"<tr><th>{Escape(name)}</th><td>{Escape(value)}</td></tr>\n");
                }

                html.Append("</tbody>\n</table>\n");
                break;
            case Table table:
                AppendTable(html, table);
                break;
            case Metric metric:
                AppendMetricTable(html, metric.Content);
                html.Append($"<p>As <a href=\"{Escape(metric.Content.File("csv"))}\">CSV</a> and ")
                    .Append($"<a href=\"{Escape(metric.Content.File("tex"))}\">LaTeX</a>.</p>\n");
                break;
            case Claims claims:
                AppendList(html, "<ul class=\"claims\">", claims.Checks.Select(Claim));
                break;
            case Cells cells:
                AppendCells(html, cells.List);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(block), block, "A report block report.html cannot render.");
        }
    }

    /// <summary>A list of items already in HTML; an empty one is left out.</summary>
    private static void AppendList(StringBuilder html, string opening, IEnumerable<string> items)
    {
        var list = items.ToList();
        if (list.Count > 0)
        {
            html.Append(opening).Append('\n');
            foreach (var item in list)
            {
                html.Append($"<li>{item}</li>\n");
            }

            html.Append("</ul>\n");
        }
    }

    private static string Claim(ClaimCheck claim)
    {
        var verdict = ReportDocument.Verdict(claim.Verdict);
        return $"({Escape(claim.Id)}) {Escape(claim.Statement)} — <span class=\"{verdict.Replace(' ', '-')}\">{verdict}</span>.<br>{Escape(claim.Evidence)}";
    }

    private static void AppendTable(StringBuilder html, Table table)
    {
        html.Append($"<table class=\"{table.Class}\">\n<thead><tr>");
        foreach (var column in table.Columns)
        {
            html.Append($"<th{NumberClass(column)}>{Escape(column.Header)}</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            for (var column = 0; column < row.Count; column++)
            {
                html.Append(column == 0 && table.RowHeaders
                    ? $"<th>{Escape(row[column])}</th>"
                    : $"<td{NumberClass(table.Columns[column])}>{Escape(row[column])}</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static string NumberClass(Column column) => column.Numeric ? " class=\"number\"" : "";

    private static void AppendMetricTable(StringBuilder html, MetricTable table)
    {
        // A probe's table also names its protocol, which tells it from fine-tuning's table of the same task and metric.
        var protocol = table.Protocol is null ? "" : $" data-protocol=\"{Escape(table.Protocol)}\"";
        html.Append($"<table class=\"metric\" data-task=\"{Escape(table.Task)}\" data-metric=\"{Escape(table.Metric)}\"{protocol}>\n<thead><tr><th>Init</th>");
        foreach (var fraction in table.Fractions)
        {
            html.Append($"<th class=\"number\">{Escape(RenderText.Percent(fraction))}</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        for (var row = 0; row < table.Rows.Count; row++)
        {
            html.Append($"<tr><th>{Escape(table.Rows[row].Init)}</th>");
            for (var column = 0; column < table.Fractions.Count; column++)
            {
                var kind = table.IsBest(row, column) ? "number best" : "number";
                html.Append($"<td class=\"{kind}\">{Escape(table.CellText(row, column, "±", value => value))}</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendCells(StringBuilder html, IReadOnlyList<RenderedCell> cells)
    {
        if (cells.Count == 0)
        {
            return;
        }

        html.Append("<table class=\"cells\">\n<thead><tr><th>Cell</th><th>Folder in the cache</th></tr></thead>\n<tbody>\n");
        foreach (var cell in cells)
        {
            html.Append($"<tr><td><code>{Escape(cell.Address)}</code></td>")
                .Append($"<td><a href=\"{Escape(cell.Link)}\">{Escape(cell.CachePath)}</a></td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    /// <summary>A figure's SVG embedded as a data: URI, with links to its SVG and PNG files.</summary>
    private static void AppendFigure(StringBuilder html, Figure figure, Func<string, byte[]> readFigure)
    {
        html.Append($"<figure>\n<img alt=\"{Escape(figure.Caption)}\" src=\"data:image/svg+xml;base64,")
            .Append(Convert.ToBase64String(readFigure(figure.SvgPath)))
            .Append($"\">\n<figcaption>{Escape(figure.Caption)} (<a href=\"{Escape(figure.SvgPath)}\">SVG</a>, ")
            .Append($"<a href=\"{Escape(figure.PngPath)}\">PNG</a>)</figcaption>\n</figure>\n");
    }

    /// <summary>Report text with Markdown code spans (<c>`…`</c>): escaped, the spans as <c>&lt;code&gt;</c>.</summary>
    private static string InlineCode(string markdown)
    {
        var parts = markdown.Split('`');
        var html = new StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            html.Append(i % 2 == 1 ? $"<code>{Escape(parts[i])}</code>" : Escape(parts[i]));
        }

        return html.ToString();
    }
}
