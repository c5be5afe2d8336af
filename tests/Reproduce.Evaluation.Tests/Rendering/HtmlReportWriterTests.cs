using System.Text;
using System.Text.RegularExpressions;
using Reproduce.Evaluation.Aggregation;
using Reproduce.Evaluation.Rendering;

namespace Reproduce.Evaluation.Tests.Rendering;

public sealed partial class HtmlReportWriterTests
{
    /// <summary>Stands in for a figure file: its path, so a test can tell which figure an image embeds.</summary>
    private static byte[] FakeFigure(string path) => Encoding.UTF8.GetBytes($"<svg xmlns=\"http://www.w3.org/2000/svg\"><title>{path}</title></svg>");

    private static readonly string Page = HtmlReportWriter.Html(SampleRenderInput.Create(), FakeFigure);

    [Fact]
    public void EscapesTheFiveCharactersThatHtmlReads() =>
        Assert.Equal("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;", HtmlReportWriter.Escape("<a href=\"x\">Tom & Jerry's</a>"));

    [Fact]
    public void EscapesEveryStringThatComesFromData()
    {
        const string Hostile = "<script>alert('x')</script>&";
        const string Escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;";
        var input = SampleRenderInput.Create() with
        {
            Title = Hostile,
            ExperimentId = Hostile,
            Inits = ["scratch", Hostile],
            Deviations = [Hostile],
            Claims = [new ClaimCheck(Hostile, Hostile, ClaimVerdict.Holds, Hostile)],
            Provenance = SampleRenderInput.Create().Provenance with { Host = Hostile, Commit = Hostile, Versions = new Dictionary<string, string> { [Hostile] = Hostile } },
            PretrainLosses = [new PretrainLossCurve(Hostile, [1.0])],
            Cells = [new RenderedCell(Hostile, Hostile)],
            Comparisons = [new ComparisonRow("covid", 1.0, "auc", Hostile, Hostile, 3, 0.01, -0.01, 0.03, Hostile, 1.0, 0.3)],
        };

        var page = HtmlReportWriter.Html(input, FakeFigure);

        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alert('x')", page, StringComparison.Ordinal);
        // Title twice (title, h1), id, init in each of the 4 tables, deviation, claim id, statement and evidence, host,
        // commit, version name and value, method, cell address and path, comparison's init, baseline and test.
        Assert.True(Regex.Count(page, Regex.Escape(Escaped)) >= 20, page);
    }

    [Fact]
    public void HoldsEveryTableOfEveryTaskAndMetricWithARowPerInit()
    {
        var input = SampleRenderInput.Create();
        foreach (var task in input.Tasks)
        {
            foreach (var metric in input.Metrics)
            {
                var table = TableOf(Page, $"<table class=\"metric\" data-task=\"{task}\" data-metric=\"{metric}\">");
                Assert.Equal(input.Inits.Count, Regex.Count(table, "\n<tr><th>"));
                Assert.Contains($"<a href=\"tables/{task}_{metric}.csv\">CSV</a>", Page, StringComparison.Ordinal);
            }
        }

        var covidAuc = TableOf(Page, "<table class=\"metric\" data-task=\"covid\" data-metric=\"auc\">");
        Assert.Contains("<thead><tr><th>Init</th><th class=\"number\">100%</th><th class=\"number\">25%</th><th class=\"number\">10%</th></tr></thead>", covidAuc, StringComparison.Ordinal);
        Assert.Contains("<tr><th>spark</th><td class=\"number best\">0.850 ± 0.020</td><td class=\"number\">n/a</td><td class=\"number\">n/a</td></tr>", covidAuc, StringComparison.Ordinal);
        Assert.Contains("<td class=\"number best\">0.781 ± 0.030 (n=2)</td>", covidAuc, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(TableOf(Page, "<table class=\"significance\">"), "<tr><td>"));
        Assert.Equal(2, Regex.Count(TableOf(Page, "<table class=\"pretraining\">"), "\n<tr><th>"));
        Assert.Equal(3, Regex.Count(TableOf(Page, "<table class=\"cells\">"), "<tr><td>"));
        Assert.Contains(
            "<tr><td>AUC</td><td>byol</td><td class=\"number\">3</td><td class=\"number\">0.812</td><td class=\"number\">0.880</td><td class=\"number\">0.5</td>"
            + "<td class=\"number\">0.800</td><td class=\"number\">10.9</td><td class=\"number\">11.2 [6.01, not reached]</td><td class=\"number\">870 of 1000</td></tr>",
            TableOf(Page, "<table class=\"images-per-class\">"),
            StringComparison.Ordinal);
        Assert.Contains("<a href=\"../../../finetune/ef/ef03/\">finetune/ef/ef03</a>", Page, StringComparison.Ordinal);
    }

    [Fact]
    public void EmbedsEveryFigureAsItsSvgFileWithLinksToTheFiles()
    {
        var input = SampleRenderInput.Create();
        var expected = input.Tasks.SelectMany(task => input.Metrics.Select(metric => RenderedFiles.Figure(task, metric, "svg")))
            .Append(RenderedFiles.ImagesPerClassFigure("covid", "svg"))
            .Append(RenderedFiles.Panel("svg"))
            .Append(RenderedFiles.PretrainLoss("svg"))
            .Order(StringComparer.Ordinal);

        var embedded = EmbeddedSvg().Matches(Page)
            .Select(match => Encoding.UTF8.GetString(Convert.FromBase64String(match.Groups["data"].Value)))
            .Select(svg => Regex.Match(svg, "<title>(.*)</title>").Groups[1].Value)
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected, embedded);
        Assert.Contains("(<a href=\"figures/covid_auc.svg\">SVG</a>, <a href=\"figures/covid_auc.png\">PNG</a>)", Page, StringComparison.Ordinal);
    }

    [Fact]
    public void IsOneSelfContainedPageWithoutScriptsOrRequests()
    {
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">", Page, StringComparison.Ordinal);
        Assert.EndsWith("</body>\n</html>\n", Page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", Page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", Page, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Regex.Matches(Page, "(?:src|href)=\"(?!data:|#|\\.\\./|figures/|tables/|results\\.csv|report\\.md)[^\"]*\""));
        Assert.Contains("\n<tr><th>time</th><td>2025-03-04T05:06:07+00:00</td></tr>\n", Page, StringComparison.Ordinal);
        Assert.Contains("<span class=\"does-not-hold\">does not hold</span>", Page, StringComparison.Ordinal);
    }

    [Fact]
    public void HasTheSectionsAndHeadingsOfTheMarkdownReportInItsOrderEachInTheNavigation()
    {
        var markdown = ReportWriter.Markdown(SampleRenderInput.Create());
        var markdownHeadings = Regex.Matches(markdown, "^(#{2,4}) (.*)$", RegexOptions.Multiline).Select(m => (m.Groups[1].Length, m.Groups[2].Value));
        var htmlHeadings = Regex.Matches(Page, "<h([2-4])[^>]*>(.*?)</h[2-4]>").Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value));

        Assert.Equal(markdownHeadings, htmlHeadings);
        Assert.Equal(
            Regex.Matches(Page, "<h2 id=\"([^\"]+)\">").Select(m => m.Groups[1].Value),
            Regex.Matches(Page, "<a href=\"#([^\"]+)\">").Select(m => m.Groups[1].Value));
    }

    [Fact]
    public void ShowsTheProbesSectionAsTheMarkdownReportDoesWithEachTableLinkedToItsFiles()
    {
        var input = SampleRenderInput.WithProbes();
        var page = HtmlReportWriter.Html(input, FakeFigure);
        var markdown = ReportWriter.Markdown(input);

        Assert.Contains("<a href=\"#probes\">Linear probe and kNN</a>", page, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"probes\">Linear probe and kNN (frozen encoder)</h2>", page, StringComparison.Ordinal);
        var knn = TableOf(page, "<table class=\"metric\" data-task=\"covid\" data-metric=\"auc\" data-protocol=\"knn\">");
        Assert.Equal(input.Inits.Count, Regex.Count(knn, "\n<tr><th>"));
        Assert.Contains("<tr><th>spark</th><td class=\"number best\">0.667 ± 0.017</td></tr>", knn, StringComparison.Ordinal);
        Assert.Contains("<p>As <a href=\"tables/covid_auc_knn.csv\">CSV</a> and <a href=\"tables/covid_auc_knn.tex\">LaTeX</a>.</p>", page, StringComparison.Ordinal);
        // Fine-tuning's table of the same task and metric is still the one without a protocol, and unchanged.
        Assert.Equal(TableOf(Page, "<table class=\"metric\" data-task=\"covid\" data-metric=\"auc\">"), TableOf(page, "<table class=\"metric\" data-task=\"covid\" data-metric=\"auc\">"));
        Assert.Equal(
            Regex.Matches(markdown, "^(#{2,5}) (.*)$", RegexOptions.Multiline).Select(m => (m.Groups[1].Length, m.Groups[2].Value)),
            Regex.Matches(page, "<h([2-5])[^>]*>(.*?)</h[2-5]>").Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value)));
        var embedded = EmbeddedSvg().Matches(page)
            .Select(match => Regex.Match(Encoding.UTF8.GetString(Convert.FromBase64String(match.Groups["data"].Value)), "<title>(.*)</title>").Groups[1].Value)
            .ToList();
        foreach (var (protocol, task) in new[] { ("linear_probe", "covid"), ("linear_probe", "organsmnist"), ("knn", "covid") })
        {
            Assert.All(input.Metrics, metric => Assert.Contains(RenderedFiles.ProbeFigure(task, metric, protocol, "svg"), embedded));
        }

        Assert.DoesNotContain(RenderedFiles.ProbeFigure("organsmnist", "auc", "knn", "svg"), embedded);
    }

    [Fact]
    public void WithoutProbesThereIsNoProbesSection()
    {
        Assert.DoesNotContain("id=\"probes\"", Page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-protocol", Page, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameInputGivesTheSameBytes() =>
        Assert.Equal(Page, HtmlReportWriter.Html(SampleRenderInput.Create(), FakeFigure));

    private static string TableOf(string page, string opening)
    {
        var start = page.IndexOf(opening, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {opening}");
        return page[start..page.IndexOf("</table>", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex("<img alt=\"[^\"]*\" src=\"data:image/svg\\+xml;base64,(?<data>[A-Za-z0-9+/=]+)\">")]
    private static partial Regex EmbeddedSvg();
}
