using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Reproduce.Evaluation.Aggregation;
using Reproduce.Evaluation.Statistics;
using ScottPlot;
using SkiaSharp;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// Data-reduction curves with ScottPlot: per task and metric, the metric against the training fraction, one line per
/// init with markers and a ±std band over folds, for fine-tuning and for each frozen-encoder protocol; a panel of
/// every task × metric (fine-tuning's); per task the images-per-class learning curves; and the pre-training loss per
/// epoch, one line per method. An init has the same colour in every figure.
/// </summary>
/// <remarks>
/// The x axis is log10(fraction), ticked and labelled at the fractions used: fractions shrink by factors
/// (1, 0.25, 0.1 …), and on a linear axis the small fractions, where pre-training is claimed to matter most, would
/// crowd into the left edge.
/// </remarks>
public static partial class FigureRenderer
{
    public const int ChartWidth = 720;
    public const int ChartHeight = 440;
    public const int PanelCellWidth = 600;
    public const int PanelCellHeight = 400;

    /// <summary>Points a fitted learning curve is drawn through, evenly spaced on the log axis.</summary>
    private const int CurveSamples = 100;

    /// <summary>Sans-serif families tried in order; without any of them ScottPlot's own choice stands.</summary>
    private static readonly string[] PreferredFonts = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"];

    public static void WriteChart(RenderInput input, string task, string metric, string pngPath, string svgPath) =>
        Save(Chart(input.Summaries, input.Inits, task, metric, task), pngPath, svgPath);

    /// <summary>
    /// A frozen-encoder protocol's reduction curve: the same chart over the protocol's rows, titled with the task and
    /// the protocol so it is not taken for fine-tuning's.
    /// </summary>
    public static void WriteProbeChart(RenderInput input, ProtocolResults probe, string task, string metric, string pngPath, string svgPath) =>
        Save(Chart(probe.Summaries, input.Inits, task, metric, $"{task}: {RenderText.ProtocolName(probe.Protocol)}"), pngPath, svgPath);

    private static void Save(Plot chart, string pngPath, string svgPath)
    {
        chart.SavePng(pngPath, ChartWidth, ChartHeight);
        WriteSvg(svgPath, chart.GetSvgXml(ChartWidth, ChartHeight));
    }

    /// <summary>
    /// The mean training loss of each pre-training epoch, one line per method. Each method's loss has a scale of its
    /// own (a contrastive loss, a reconstruction error …), so the figure compares shapes, not heights.
    /// </summary>
    public static void WritePretrainLoss(RenderInput input, string pngPath, string svgPath)
    {
        var plot = NewPlot();
        var palette = new ScottPlot.Palettes.Category10();
        var epochs = 0;
        foreach (var curve in input.PretrainLosses)
        {
            var index = TableWriters.Position(input.Inits, curve.Method);
            var line = plot.Add.Scatter(
                [.. Enumerable.Range(1, curve.EpochLosses.Count).Select(epoch => (double)epoch)],
                curve.EpochLosses.ToArray(),
                palette.GetColor(index));
            line.LegendText = curve.Method;
            line.LineWidth = 2;
            line.MarkerSize = 8;
            epochs = Math.Max(epochs, curve.EpochLosses.Count);
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.SetLimitsX(0.5, epochs + 0.5);
        plot.Title("pre-training");
        plot.XLabel("epoch");
        plot.YLabel("mean training loss");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(pngPath, ChartWidth, ChartHeight);
        WriteSvg(svgPath, plot.GetSvgXml(ChartWidth, ChartHeight));
    }

    /// <summary>The metric of the images-per-class figures: AUC, the study's headline metric, when the experiment reports it, else its first.</summary>
    public static string ImagesPerClassMetric(RenderInput input) =>
        input.Metrics.Contains(TableMetrics.Auc) ? TableMetrics.Auc : input.Metrics[0];

    /// <summary>
    /// One task's images-per-class figure for <see cref="ImagesPerClassMetric"/>: per init its mean score over folds
    /// against its mean training images per class (markers) and its fitted inverse power law (a line), and scratch's
    /// full-data score, the target, as a dashed line. Like the reduction curves the x axis is log10, here of the images
    /// per class; the curves run from the smallest size trained on to the largest, or on to an init's n* where it
    /// lies within ten times the largest, so a crossing just past the data shows.
    /// </summary>
    public static void WriteImagesPerClass(RenderInput input, string task, string pngPath, string svgPath)
    {
        var metric = ImagesPerClassMetric(input);
        var plot = NewPlot();
        var palette = new ScottPlot.Palettes.Category10();
        var fits = input.ImagesPerClass.Where(row => row.Task == task && row.Metric == metric).ToList();
        var points = input.Inits
            .Select((init, index) => (Init: init, Color: palette.GetColor(index), Fit: fits.FirstOrDefault(row => row.Init == init), Points: input.Summaries
                .Where(row => row.Task == task && row.Metric == metric && row.Init == init && row.N > 0 && double.IsFinite(row.Mean) && row.ImagesPerClass > 0)
                .OrderBy(row => row.ImagesPerClass)
                .Select(row => (Images: row.ImagesPerClass, row.Mean))
                .ToList()))
            .Where(curve => curve.Points.Count > 0)
            .ToList();
        var observed = points.SelectMany(curve => curve.Points.Select(point => point.Images)).ToList();
        if (observed.Count == 0)
        {
            plot.Title($"{task}: no {RenderText.MetricName(metric)} results");
        }
        else
        {
            var (smallest, largest) = (observed.Min(), observed.Max());
            var reachedWithin = fits.Select(row => row.Images).Where(images => double.IsFinite(images) && images > largest && images <= 10 * largest);
            var end = reachedWithin.Append(largest).Max();
            foreach (var (init, color, fit, curvePoints) in points)
            {
                var markers = plot.Add.ScatterPoints(
                    curvePoints.Select(point => Math.Log10(point.Images)).ToArray(), curvePoints.Select(point => point.Mean).ToArray(), color);
                markers.MarkerSize = 8;
                var curve = fit is { } row && double.IsFinite(row.A) ? new InversePowerLaw(row.A, row.B, row.C) : null;
                if (curve is null)
                {
                    markers.LegendText = $"{init} (no fit)";
                    continue;
                }

                var xs = Enumerable.Range(0, CurveSamples).Select(i => Math.Log10(smallest) + (Math.Log10(end) - Math.Log10(smallest)) * i / (CurveSamples - 1)).ToArray();
                var line = plot.Add.ScatterLine(xs, xs.Select(x => curve.Score(Math.Pow(10, x))).ToArray(), color);
                line.LineWidth = 2;
                line.LegendText = init;
            }

            if (fits.Select(row => row.Target).FirstOrDefault(double.IsFinite) is var target && double.IsFinite(target))
            {
                var targetLine = plot.Add.HorizontalLine(target);
                targetLine.Color = Colors.Gray;
                targetLine.LineWidth = 1.5f;
                targetLine.LinePattern = LinePattern.Dashed;
                targetLine.LegendText = $"target: {StudyInits.Scratch} at 100%";
            }

            var ticks = NiceTicks(smallest, end);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                ticks.Select(Math.Log10).ToArray(), ticks.Select(tick => tick.ToString("0.##", CultureInfo.InvariantCulture)).ToArray());
            var margin = Math.Max(0.05, 0.06 * (Math.Log10(end) - Math.Log10(smallest)));
            plot.Axes.SetLimitsX(Math.Log10(smallest) - margin, Math.Log10(end) + margin);
            plot.Title(task);
        }

        plot.XLabel("training images per class (log scale)");
        plot.YLabel(RenderText.MetricName(metric));
        plot.ShowLegend(Edge.Right);
        plot.SavePng(pngPath, ChartWidth, ChartHeight);
        WriteSvg(svgPath, plot.GetSvgXml(ChartWidth, ChartHeight));
    }

    /// <summary>
    /// Ticks at 1, 2 and 5 times the powers of ten between <paramref name="low"/> and <paramref name="high"/>, with the
    /// two ends themselves when fewer than two fall inside (a narrow range).
    /// </summary>
    public static IReadOnlyList<double> NiceTicks(double low, double high)
    {
        var ticks = new List<double>();
        for (var power = Math.Floor(Math.Log10(low)); power <= Math.Ceiling(Math.Log10(high)); power++)
        {
            foreach (var step in new[] { 1.0, 2.0, 5.0 })
            {
                var tick = step * Math.Pow(10, power);
                if (tick >= low * (1 - 1e-9) && tick <= high * (1 + 1e-9))
                {
                    ticks.Add(tick);
                }
            }
        }

        return ticks.Count >= 2 ? ticks : [.. new[] { low, high }.Distinct()];
    }

    /// <summary>The panel: a row per task, a column per metric, in the input's order.</summary>
    public static void WritePanel(RenderInput input, string pngPath, string svgPath)
    {
        var width = PanelCellWidth * input.Metrics.Count;
        var height = PanelCellHeight * input.Tasks.Count;
        var panel = Panel(input);
        panel.SavePng(pngPath, width, height);

        using var svg = new MemoryStream();
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), svg))
        {
            panel.Render(canvas, new PixelRect(0, width, height, 0));
        }

        WriteSvg(svgPath, Encoding.UTF8.GetString(svg.ToArray()));
    }

    private static Multiplot Panel(RenderInput input)
    {
        var charts = input.Tasks.SelectMany(task => input.Metrics.Select(metric => Chart(input.Summaries, input.Inits, task, metric, task))).ToList();
        var panel = new Multiplot(charts[0]);
        foreach (var chart in charts.Skip(1))
        {
            panel.AddPlot(chart);
        }

        panel.Layout = new ScottPlot.MultiplotLayouts.Grid(input.Tasks.Count, input.Metrics.Count);
        return panel;
    }

    /// <summary>A plot in the figures' common style: the first preferred font this machine has.</summary>
    private static Plot NewPlot()
    {
        var plot = new Plot();
        var font = PreferredFonts.FirstOrDefault(SKFontManager.Default.GetFontFamilies().Contains);
        if (font is not null)
        {
            plot.Font.Set(font);
        }

        return plot;
    }

    /// <summary>One task's reduction curve for one metric over <paramref name="summaries"/>, one line per init in <paramref name="inits"/>' order.</summary>
    private static Plot Chart(IReadOnlyList<SummaryRow> summaries, IReadOnlyList<string> inits, string task, string metric, string title)
    {
        var plot = NewPlot();

        // Every band before any line, so that no init's band veils another's line.
        var palette = new ScottPlot.Palettes.Category10();
        var taskRows = summaries.Where(row => row.Task == task).ToList();
        var curves = inits
            .Select((init, index) => (Init: init, Color: palette.GetColor(index), Points: taskRows
                .Where(row => row.Metric == metric && row.Init == init && row.N > 0 && !double.IsNaN(row.Mean))
                .OrderBy(row => row.Fraction)
                .ToList()))
            .Where(curve => curve.Points.Count > 0)
            .ToList();
        foreach (var (_, color, points) in curves)
        {
            AddStdBands(plot, [.. points.Select(row => (X: Math.Log10(row.Fraction), row.Mean, row.Std))], color);
        }

        foreach (var (init, color, points) in curves)
        {
            var line = plot.Add.Scatter(
                points.Select(row => Math.Log10(row.Fraction)).ToArray(),
                points.Select(row => row.Mean).ToArray(),
                color);
            line.LegendText = init;
            line.LineWidth = 2;
            line.MarkerSize = 8;
        }

        var fractions = taskRows.Select(row => row.Fraction).Distinct().Order().ToArray();
        if (fractions.Length > 0)
        {
            var positions = fractions.Select(Math.Log10).ToArray();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                positions, [.. fractions.Select(RenderText.Percent)]);
            var margin = Math.Max(0.05, 0.06 * (positions[^1] - positions[0]));
            plot.Axes.SetLimitsX(positions[0] - margin, positions[^1] + margin);
        }

        plot.Title(title);
        plot.XLabel("training fraction (log scale)");
        plot.YLabel(RenderText.MetricName(metric));
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>
    /// The mean ± std band over folds, drawn over each run of neighbouring fractions whose std is defined (a lone
    /// such point gets an error bar); where the std is NaN (n = 1) nothing is drawn.
    /// </summary>
    private static void AddStdBands(Plot plot, List<(double X, double Mean, double Std)> points, Color color)
    {
        var start = 0;
        while (start < points.Count)
        {
            if (double.IsNaN(points[start].Std))
            {
                start++;
                continue;
            }

            var end = start;
            while (end + 1 < points.Count && !double.IsNaN(points[end + 1].Std))
            {
                end++;
            }

            var run = points.GetRange(start, end - start + 1);
            if (run.Count == 1)
            {
                var bar = plot.Add.ErrorBar([run[0].X], [run[0].Mean], [run[0].Std]);
                bar.Color = color;
            }
            else
            {
                var band = plot.Add.FillY(
                    [.. run.Select(point => point.X)],
                    [.. run.Select(point => point.Mean - point.Std)],
                    [.. run.Select(point => point.Mean + point.Std)]);
                band.FillColor = color.WithAlpha(0.15);
                band.LineWidth = 0;
            }

            start = end + 1;
        }
    }

    /// <summary>
    /// Skia numbers an SVG's clip paths from a counter that lives as long as the process, so a second render of the
    /// same chart gets other ids; renumbering them in order of appearance makes equal charts equal bytes.
    /// </summary>
    private static void WriteSvg(string path, string svg)
    {
        var ids = new Dictionary<string, string>();
        var normalised = ClipPathId().Replace(svg, match =>
        {
            if (!ids.TryGetValue(match.Value, out var id))
            {
                id = $"clip{ids.Count}";
                ids.Add(match.Value, id);
            }

            return id;
        });
        File.WriteAllText(path, normalised, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    [GeneratedRegex("""(?<=id="|url\(#)cl_[0-9a-f]+""")]
    private static partial Regex ClipPathId();
}
