using System.Text;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// Writes a rendered experiment — reports, tables, figures — into a directory in the layout of
/// <see cref="RenderedFiles"/>. The same input gives the same bytes: no file carries a time but the provenance's.
/// The HTML report comes last, because it embeds the figures' SVG files as written.
/// </summary>
public static class ReportRenderer
{
    public static void Render(RenderInput input, string outputDirectory)
    {
        Validate(input);
        Directory.CreateDirectory(Path.Combine(outputDirectory, RenderedFiles.TablesFolder));
        Directory.CreateDirectory(Path.Combine(outputDirectory, RenderedFiles.FiguresFolder));
        string At(string relativePath) => Path.Combine(outputDirectory, relativePath);

        foreach (var task in input.Tasks)
        {
            foreach (var metric in input.Metrics)
            {
                var table = MetricTable.From(input, task, metric);
                Write(At(RenderedFiles.Table(task, metric, "md")), TableWriters.Markdown(table));
                Write(At(RenderedFiles.Table(task, metric, "csv")), TableWriters.Csv(table));
                Write(At(RenderedFiles.Table(task, metric, "tex")), TableWriters.Latex(table));
                FigureRenderer.WriteChart(
                    input, task, metric, At(RenderedFiles.Figure(task, metric, "png")), At(RenderedFiles.Figure(task, metric, "svg")));
            }
        }

        foreach (var task in input.Tasks)
        {
            var table = ImagesPerClassTable.From(input, task);
            if (table.Rows.Count > 0)
            {
                Write(At(RenderedFiles.ImagesPerClassTable(task, "md")), table.Markdown());
                Write(At(RenderedFiles.ImagesPerClassTable(task, "csv")), table.Csv());
                FigureRenderer.WriteImagesPerClass(
                    input, task, At(RenderedFiles.ImagesPerClassFigure(task, "png")), At(RenderedFiles.ImagesPerClassFigure(task, "svg")));
            }
        }

        FigureRenderer.WritePanel(input, At(RenderedFiles.Panel("png")), At(RenderedFiles.Panel("svg")));
        if (input.PretrainLosses.Count > 0)
        {
            FigureRenderer.WritePretrainLoss(input, At(RenderedFiles.PretrainLoss("png")), At(RenderedFiles.PretrainLoss("svg")));
        }

        Write(At(RenderedFiles.Results), TableWriters.ResultsCsv(input));
        Write(At(RenderedFiles.Report), ReportWriter.Markdown(input));
        Write(At(RenderedFiles.HtmlReport), HtmlReportWriter.Html(input, figure => File.ReadAllBytes(At(figure))));
    }

    /// <summary>Tasks and metrics name files, so they must be plain names; an empty list would render nothing.</summary>
    private static void Validate(RenderInput input)
    {
        if (input.Tasks.Count == 0 || input.Metrics.Count == 0 || input.Inits.Count == 0)
        {
            throw new ArgumentException("A render needs at least one task, metric and init.", nameof(input));
        }

        if (input.Folds < 1)
        {
            throw new ArgumentException($"The fold count must be positive, not {input.Folds}.", nameof(input));
        }

        foreach (var name in input.Tasks.Concat(input.Metrics))
        {
            if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0
                || name.Contains('\\'))
            {
                throw new ArgumentException($"'{name}' cannot name a table or figure file.", nameof(input));
            }
        }
    }

    private static void Write(string path, string text) =>
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
}
