using System.Text.Json;
using PuppeteerSharp;
using Reproduce.Evaluation.Rendering;
using Xunit.Abstractions;

namespace Reproduce.Evaluation.Tests.Rendering;

/// <summary>
/// The rendered <c>report.html</c> opened in headless Chromium: it loads with no console message, no page error and
/// no request beyond its own file and data: URIs, every table has rows and takes up room, every figure loads, and a
/// screenshot of the whole page is kept under the test's output folder for a person to look at.
/// </summary>
public sealed class HtmlReportBrowserTests(ITestOutputHelper output)
{
    public static string ScreenshotPath => Path.Combine(AppContext.BaseDirectory, "screenshots", "report.png");

    [BrowserFact]
    public async Task TheReportOpensInChromiumWithoutErrorsWithEveryTableFilledAndEveryFigureLoaded()
    {
        var chromium = Chromium.Find() ?? throw new InvalidOperationException(
            $"{BrowserFactAttribute.RequireVariable}=1, but no Chromium is on the PATH (apt-get install --no-install-recommends chromium)");
        using var folder = new TempFolder();
        var input = SampleRenderInput.Create();
        ReportRenderer.Render(input, folder.Path);
        var page = Path.Combine(folder.Path, RenderedFiles.HtmlReport);

        var options = new LaunchOptions { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] };
        await using var browser = await Puppeteer.LaunchAsync(options);
        await using var tab = await browser.NewPageAsync();
        await tab.SetViewportAsync(new ViewPortOptions { Width = 1200, Height = 900 });
        var messages = new List<string>();
        var requests = new List<string>();
        tab.Console += (_, e) => messages.Add($"console {e.Message.Type}: {e.Message.Text}");
        tab.PageError += (_, e) => messages.Add($"page error: {e.Message}");
        tab.RequestFailed += (_, e) => messages.Add($"request failed: {e.Request.Url}");
        tab.Request += (_, e) => requests.Add(e.Request.Url);

        var response = await tab.GoToAsync(new Uri(page).AbsoluteUri, WaitUntilNavigation.Load);
        Assert.True(response.Ok, $"status {response.Status}");

        var tables = JsonSerializer.Deserialize<List<TableState>>(await tab.EvaluateExpressionAsync<string>(
            "JSON.stringify([...document.querySelectorAll('table')].map(t => ({ Kind: t.className, Rows: t.tBodies[0] ? t.tBodies[0].rows.length : 0, Height: t.getBoundingClientRect().height })))"))!;
        var images = JsonSerializer.Deserialize<List<ImageState>>(await tab.EvaluateExpressionAsync<string>(
            "JSON.stringify([...document.images].map(i => ({ Alt: i.alt, Complete: i.complete, NaturalWidth: i.naturalWidth, Width: i.getBoundingClientRect().width })))"))!;
        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        await tab.ScreenshotAsync(ScreenshotPath, new ScreenshotOptions { FullPage = true });
        output.WriteLine($"screenshot: {ScreenshotPath}");

        Assert.Empty(messages);
        Assert.All(requests, url => Assert.True(url.StartsWith("file:", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal), url));
        // The provenance, one per task and metric, covid's images per class, the pre-training, the significance and the cells.
        Assert.Equal(1 + (input.Tasks.Count * input.Metrics.Count) + 1 + 3, tables.Count);
        Assert.All(tables, t => Assert.True(t.Rows > 0 && t.Height > 0, $"table '{t.Kind}': {t.Rows} rows, {t.Height} px high"));
        // Every task × metric, covid's images per class, the panel and the pre-training loss.
        Assert.Equal((input.Tasks.Count * input.Metrics.Count) + 1 + 2, images.Count);
        Assert.All(images, i => Assert.True(i.Complete && i.NaturalWidth > 0 && i.Width > 0, $"figure '{i.Alt}' did not load: natural width {i.NaturalWidth}"));
    }

    private sealed record TableState(string Kind, int Rows, double Height);

    private sealed record ImageState(string Alt, bool Complete, int NaturalWidth, double Width);
}
