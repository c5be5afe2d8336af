using System.Xml.Linq;
using Reproduce.Evaluation.Rendering;
using SkiaSharp;

namespace Reproduce.Evaluation.Tests.Rendering;

public sealed class FigureRendererTests
{
    [Fact]
    public void ChartIsAPngOfTheChartSizeAndAnSvgWithTitleAxisLabelsAndLegend()
    {
        using var directory = new TempFolder();
        var png = Path.Combine(directory.Path, "covid_auc.png");
        var svg = Path.Combine(directory.Path, "covid_auc.svg");

        FigureRenderer.WriteChart(SampleRenderInput.Create(), "covid", "auc", png, svg);

        using (var bitmap = SKBitmap.Decode(png))
        {
            Assert.Equal(FigureRenderer.ChartWidth, bitmap.Width);
            Assert.Equal(FigureRenderer.ChartHeight, bitmap.Height);
        }

        var texts = SvgTexts(svg);
        Assert.Contains("covid", texts);
        Assert.Contains("AUC", texts);
        Assert.Contains("training fraction (log scale)", texts);
        Assert.Contains("scratch", texts);
        Assert.Contains("byol", texts);
        Assert.Contains("spark", texts);
        Assert.Contains("10%", texts);
        Assert.Contains("25%", texts);
        Assert.Contains("100%", texts);
    }

    [Fact]
    public void PanelHasACellPerTaskAndMetric()
    {
        using var directory = new TempFolder();
        var png = Path.Combine(directory.Path, "panel.png");
        var svg = Path.Combine(directory.Path, "panel.svg");

        FigureRenderer.WritePanel(SampleRenderInput.Create(), png, svg);

        using (var bitmap = SKBitmap.Decode(png))
        {
            Assert.Equal(2 * FigureRenderer.PanelCellWidth, bitmap.Width);
            Assert.Equal(2 * FigureRenderer.PanelCellHeight, bitmap.Height);
        }

        var texts = SvgTexts(svg);
        Assert.Contains("organsmnist", texts);
        Assert.Contains("F1", texts);
        Assert.Contains("spark", texts);
    }

    [Fact]
    public void PretrainLossIsAChartOfTheChartSizeWithALinePerMethodAgainstTheEpoch()
    {
        using var directory = new TempFolder();
        var png = Path.Combine(directory.Path, "pretrain_loss.png");
        var svg = Path.Combine(directory.Path, "pretrain_loss.svg");

        FigureRenderer.WritePretrainLoss(SampleRenderInput.Create(), png, svg);

        using (var bitmap = SKBitmap.Decode(png))
        {
            Assert.Equal(FigureRenderer.ChartWidth, bitmap.Width);
            Assert.Equal(FigureRenderer.ChartHeight, bitmap.Height);
        }

        var texts = SvgTexts(svg);
        Assert.Contains("epoch", texts);
        Assert.Contains("mean training loss", texts);
        Assert.Contains("byol", texts);
        Assert.Contains("spark", texts);
    }

    /// <summary>Every text element's content: the SVG must be well-formed XML to get here.</summary>
    private static List<string> SvgTexts(string path)
    {
        var document = XDocument.Load(path);
        return [.. document.Descendants(XName.Get("text", "http://www.w3.org/2000/svg")).Select(text => text.Value.Trim())];
    }
}
