using System.Globalization;
using System.Text;
using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// The experiment's <c>report.html</c>: what <c>report.md</c> holds, as one self-contained page. The styles are
/// inline, every figure is embedded as its SVG file in a <c>data:</c> URI (an inline <c>&lt;svg&gt;</c> would share its
/// clip-path ids with the other figures' in one document), and the page makes no request and runs no script. Links
/// to the tables' and figures' files are relative, as in <c>report.md</c>. Every string that comes from data is
/// HTML-escaped. Lines end in "\n" and nothing carries a time but the provenance's row, which stands on a line of its
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
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append($"<title>{Escape(input.Title)}</title>\n<style>\n{Style}</style>\n</head>\n<body>\n")
            .Append($"<h1>{Escape(input.Title)}</h1>\n<p>Experiment <code>{Escape(input.ExperimentId)}</code>. ")
            .Append($"The same report as Markdown: <a href=\"{RenderedFiles.Report}\">{RenderedFiles.Report}</a>.</p>\n")
            .Append("<nav><a href=\"#provenance\">Provenance</a><a href=\"#deviations\">Deviations</a><a href=\"#results\">Results</a>")
            .Append("<a href=\"#pretraining\">Pre-training</a><a href=\"#claims\">Claims</a><a href=\"#significance\">Significance</a>")
            .Append("<a href=\"#cells\">Cells</a></nav>\n");
        AppendProvenance(html, input.Provenance);
        AppendDeviations(html, input.Deviations);
        AppendResults(html, input, readFigure);
        AppendPretraining(html, input, readFigure);
        AppendClaims(html, input.Claims);
        AppendSignificance(html, input);
        AppendCells(html, input.Cells);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Text as HTML shows it literally, in element content and in quoted attribute values alike.</summary>
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

    private static void AppendProvenance(StringBuilder html, RenderProvenance provenance)
    {
        html.Append("<h2 id=\"provenance\">Provenance</h2>\n<table class=\"provenance\">\n<tbody>\n");
        AppendPair(html, "commit", provenance.Commit);
        AppendPair(html, "device", provenance.Device);
        AppendPair(html, "threads", provenance.Threads.ToString(CultureInfo.InvariantCulture));
        AppendPair(html, "host", provenance.Host);
        AppendPair(html, "time", provenance.Time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        foreach (var (package, version) in provenance.Versions.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            AppendPair(html, package, version);
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendPair(StringBuilder html, string name, string value) =>
        html.Append($"<tr><th>{Escape(name)}</th><td>{Escape(value)}</td></tr>\n");

    private static void AppendDeviations(StringBuilder html, IReadOnlyList<string> deviations)
    {
        html.Append("<h2 id=\"deviations\">Deviations from the study</h2>\n");
        if (deviations.Count == 0)
        {
            html.Append("<p>None declared.</p>\n");
            return;
        }

        html.Append("<ul>\n");
        foreach (var deviation in deviations)
        {
            html.Append($"<li>{Escape(deviation)}</li>\n");
        }

        html.Append("</ul>\n");
    }

    private static void AppendResults(StringBuilder html, RenderInput input, Func<string, byte[]> readFigure)
    {
        html.Append("<h2 id=\"results\">Results</h2>\n")
            .Append($"<p>Each cell is the mean ± sample standard deviation over the {input.Folds} folds, every fold tested on ")
            .Append("the same official test set. \"(n=k)\" marks a cell where only k folds define the metric, \"n/a\" one where ")
            .Append("none does; the best mean per column is in bold. Every row with n and its 95% CI is in ")
            .Append($"<a href=\"{RenderedFiles.Results}\">{RenderedFiles.Results}</a>. The figures' bands are ±1 std over folds.</p>\n");
        AppendFigure(html, "All tasks and metrics", RenderedFiles.Panel("svg"), RenderedFiles.Panel("png"), readFigure);
        foreach (var task in input.Tasks)
        {
            html.Append($"<h3>{Escape(task)}</h3>\n");
            foreach (var metric in input.Metrics)
            {
                var name = RenderText.MetricName(metric);
                html.Append($"<h4>{Escape(name)}</h4>\n");
                AppendMetricTable(html, MetricTable.From(input, task, metric));
                html.Append($"<p>As <a href=\"{Escape(RenderedFiles.Table(task, metric, "csv"))}\">CSV</a> and ")
                    .Append($"<a href=\"{Escape(RenderedFiles.Table(task, metric, "tex"))}\">LaTeX</a>.</p>\n");
                AppendFigure(html, $"{task}: {name}", RenderedFiles.Figure(task, metric, "svg"), RenderedFiles.Figure(task, metric, "png"), readFigure);
            }
        }
    }

    private static void AppendMetricTable(StringBuilder html, MetricTable table)
    {
        html.Append($"<table class=\"metric\" data-task=\"{Escape(table.Task)}\" data-metric=\"{Escape(table.Metric)}\">\n<thead><tr><th>Init</th>");
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

    private static void AppendPretraining(StringBuilder html, RenderInput input, Func<string, byte[]> readFigure)
    {
        html.Append("<h2 id=\"pretraining\">Pre-training</h2>\n");
        if (input.PretrainLosses.Count == 0)
        {
            html.Append($"<p>{Escape(ReportWriter.NoPretraining)}</p>\n");
            return;
        }

        html.Append($"<p>{InlineCode(ReportWriter.PretrainingIntro)}</p>\n");
        AppendFigure(html, "Pre-training loss", RenderedFiles.PretrainLoss("svg"), RenderedFiles.PretrainLoss("png"), readFigure);
        html.Append("<table class=\"pretraining\">\n<thead><tr><th>Method</th><th class=\"number\">Epochs</th>")
            .Append("<th class=\"number\">First epoch</th><th class=\"number\">Last epoch</th></tr></thead>\n<tbody>\n");
        foreach (var curve in input.PretrainLosses)
        {
            html.Append($"<tr><th>{Escape(curve.Method)}</th><td class=\"number\">{curve.EpochLosses.Count}</td>")
                .Append($"<td class=\"number\">{RenderText.FourSignificant(curve.EpochLosses[0])}</td>")
                .Append($"<td class=\"number\">{RenderText.FourSignificant(curve.EpochLosses[^1])}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendClaims(StringBuilder html, IReadOnlyList<ClaimCheck> claims)
    {
        html.Append("<h2 id=\"claims\">Claims</h2>\n");
        if (claims.Count == 0)
        {
            html.Append("<p>No claim was checked.</p>\n");
            return;
        }

        html.Append("<ul class=\"claims\">\n");
        foreach (var claim in claims)
        {
            var verdict = ReportWriter.Verdict(claim.Verdict);
            html.Append($"<li>({Escape(claim.Id)}) {Escape(claim.Statement)} — <span class=\"{verdict.Replace(' ', '-')}\">{verdict}</span>.")
                .Append($"<br>{Escape(claim.Evidence)}</li>\n");
        }

        html.Append("</ul>\n");
    }

    private static void AppendSignificance(StringBuilder html, RenderInput input)
    {
        html.Append("<h2 id=\"significance\">Significance</h2>\n")
            .Append("<p>Each init against its baseline, paired over the folds both have: the mean of the per-fold differences ")
            .Append("(init − baseline) with its Student-t 95% CI, a paired t-test, and a Wilcoxon signed-rank test only when ")
            .Append("n ≥ 6. Fold scores are correlated, so these intervals and p-values are descriptive, not confirmatory; ")
            .Append($"<a href=\"{RenderedFiles.Report}\">{RenderedFiles.Report}</a> says why.</p>\n");
        if (input.Comparisons.Count == 0)
        {
            html.Append("<p>No comparison was computed.</p>\n");
            return;
        }

        html.Append("<table class=\"significance\">\n<thead><tr><th>Task</th><th>Comparison</th><th>Metric</th>")
            .Append("<th class=\"number\">Fraction</th><th class=\"number\">n</th><th class=\"number\">Mean difference [95% CI]</th>")
            .Append("<th>Test</th><th class=\"number\">p</th></tr></thead>\n<tbody>\n");
        foreach (var row in ReportWriter.OrderedComparisons(input))
        {
            html.Append($"<tr><td>{Escape(row.Task)}</td><td>{Escape(row.Init)} vs {Escape(row.Baseline)}</td>")
                .Append($"<td>{Escape(RenderText.MetricName(row.Metric))}</td><td class=\"number\">{Escape(RenderText.Percent(row.Fraction))}</td>")
                .Append($"<td class=\"number\">{row.N}</td><td class=\"number\">{Escape(ReportWriter.Difference(row))}</td>")
                .Append($"<td>{Escape(row.Test)}</td><td class=\"number\">{Escape(ReportWriter.PValue(row.PValue))}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendCells(StringBuilder html, IReadOnlyList<RenderedCell> cells)
    {
        html.Append("<h2 id=\"cells\">Cells</h2>\n").Append($"<p>{InlineCode(ReportWriter.CellsIntro)}</p>\n");
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
    private static void AppendFigure(StringBuilder html, string caption, string svgPath, string pngPath, Func<string, byte[]> readFigure)
    {
        html.Append($"<figure>\n<img alt=\"{Escape(caption)}\" src=\"data:image/svg+xml;base64,")
            .Append(Convert.ToBase64String(readFigure(svgPath)))
            .Append($"\">\n<figcaption>{Escape(caption)} (<a href=\"{Escape(svgPath)}\">SVG</a>, ")
            .Append($"<a href=\"{Escape(pngPath)}\">PNG</a>)</figcaption>\n</figure>\n");
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
