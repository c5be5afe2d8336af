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
    public void ProbeChartDrawsTheProtocolsRowsTitledWithTheTaskAndTheProtocol()
    {
        using var directory = new TempFolder();
        var png = Path.Combine(directory.Path, "covid_auc_linear_probe.png");
        var svg = Path.Combine(directory.Path, "covid_auc_linear_probe.svg");
        var input = SampleRenderInput.WithProbes();

        FigureRenderer.WriteProbeChart(input, input.Probes[0], "covid", "auc", png, svg);

        using (var bitmap = SKBitmap.Decode(png))
        {
            Assert.Equal(FigureRenderer.ChartWidth, bitmap.Width);
        }

        var texts = SvgTexts(svg);
        Assert.Contains("covid: Linear probe", texts);
        Assert.Contains("byol", texts);
        // The linear probe has no covid AUC at 10% and none of spark's: its axis and legend are its own, not fine-tuning's.
        Assert.DoesNotContain("10%", texts);
        Assert.DoesNotContain("spark", texts);
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

    [Fact]
    public void ImagesPerClassIsAChartOfTheChartSizeWithEachInitsCurveAndTheTarget()
    {
        using var directory = new TempFolder();
        var png = Path.Combine(directory.Path, "covid_images_per_class.png");
        var svg = Path.Combine(directory.Path, "covid_images_per_class.svg");

        FigureRenderer.WriteImagesPerClass(SampleRenderInput.Create(), "covid", png, svg);

        using (var bitmap = SKBitmap.Decode(png))
        {
            Assert.Equal(FigureRenderer.ChartWidth, bitmap.Width);
            Assert.Equal(FigureRenderer.ChartHeight, bitmap.Height);
        }

        var texts = SvgTexts(svg);
        Assert.Contains("training images per class (log scale)", texts);
        Assert.Contains("AUC", texts);
        Assert.Contains("scratch", texts);
        Assert.Contains("byol", texts);
        // spark has a single point: drawn, but without a curve.
        Assert.Contains("spark (no fit)", texts);
        Assert.Contains("target: scratch at 100%", texts);
        // The sizes run from 5 to 50 images per class; byol's n* (10.9) lies inside, so the axis stops at 50.
        Assert.Contains("5", texts);
        Assert.Contains("50", texts);
        Assert.DoesNotContain("100", texts);
    }

    [Theory]
    [InlineData(5, 50, new[] { 5.0, 10, 20, 50 })]
    [InlineData(3, 4, new[] { 3.0, 4 })]
    [InlineData(0.5, 12, new[] { 0.5, 1, 2, 5, 10 })]
    public void ImagesPerClassTicksAreOneTwoFiveStepsInsideTheRange(double low, double high, double[] expected) =>
        Assert.Equal(expected, FigureRenderer.NiceTicks(low, high));

    /// <summary>Every text element's content: the SVG must be well-formed XML to get here.</summary>
    private static List<string> SvgTexts(string path)
    {
        var document = XDocument.Load(path);
        return [.. document.Descendants(XName.Get("text", "http://www.w3.org/2000/svg")).Select(text => text.Value.Trim())];
    }
}
