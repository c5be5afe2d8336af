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

        foreach (var probe in input.Probes)
        {
            foreach (var task in probe.TasksIn(input))
            {
                foreach (var metric in input.Metrics)
                {
                    var table = MetricTable.From(input, probe, task, metric);
                    Write(At(table.File("md")), TableWriters.Markdown(table));
                    Write(At(table.File("csv")), TableWriters.Csv(table));
                    Write(At(table.File("tex")), TableWriters.Latex(table));
                    FigureRenderer.WriteProbeChart(
                        input, probe, task, metric,
                        At(RenderedFiles.ProbeFigure(task, metric, probe.Protocol, "png")), At(RenderedFiles.ProbeFigure(task, metric, probe.Protocol, "svg")));
                }
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

    /// <summary>Tasks, metrics and protocols name files, so they must be plain names; an empty list would render nothing.</summary>
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

        foreach (var probe in input.Probes)
        {
            // A probe's rows are shown under the input's tasks; a task the experiment does not list would be dropped unseen.
            if (probe.Summaries.Select(row => row.Task).FirstOrDefault(task => !input.Tasks.Contains(task)) is { } unlisted)
            {
                throw new ArgumentException($"The {probe.Protocol} results have a task, '{unlisted}', that the experiment does not list.", nameof(input));
            }
        }

        if (input.Probes.GroupBy(probe => probe.Protocol).FirstOrDefault(group => group.Count() > 1) is { } repeated)
        {
            throw new ArgumentException($"The protocol {repeated.Key} has two sets of results; its tables would overwrite each other.", nameof(input));
        }

        foreach (var name in input.Tasks.Concat(input.Metrics).Concat(input.Probes.Select(probe => probe.Protocol)))
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
