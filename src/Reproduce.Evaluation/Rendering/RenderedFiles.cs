namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// The fixed layout of a rendered experiment directory, as relative paths with '/' (the report links them as
/// written): <c>report.md</c>, <c>report.html</c>, <c>results.csv</c>, <c>tables/&lt;task&gt;_&lt;metric&gt;.{md,csv,tex}</c>,
/// <c>figures/&lt;task&gt;_&lt;metric&gt;.{png,svg}</c>, <c>tables/&lt;task&gt;_images_per_class.{md,csv}</c>,
/// <c>figures/&lt;task&gt;_images_per_class.{png,svg}</c>, <c>figures/panel.{png,svg}</c> and, when the experiment
/// pre-trains, <c>figures/pretrain_loss.{png,svg}</c>; per frozen-encoder protocol (linear probe, kNN) that ran,
/// <c>tables/&lt;task&gt;_&lt;metric&gt;_&lt;protocol&gt;.{md,csv,tex}</c> and <c>figures/&lt;task&gt;_&lt;metric&gt;_&lt;protocol&gt;.{png,svg}</c>.
/// No metric is named <c>images_per_class</c> or after a protocol, so the names never meet.
/// </summary>
public static class RenderedFiles
{
    public const string Report = "report.md";
    public const string HtmlReport = "report.html";
    public const string Results = "results.csv";
    public const string TablesFolder = "tables";
    public const string FiguresFolder = "figures";

    public static string Table(string task, string metric, string extension) =>
        $"{TablesFolder}/{task}_{metric}.{extension}";

    public static string Figure(string task, string metric, string extension) =>
        $"{FiguresFolder}/{task}_{metric}.{extension}";

    /// <summary>A frozen-encoder protocol's table: the fine-tuning table's name with the protocol after it.</summary>
    public static string ProbeTable(string task, string metric, string protocol, string extension) =>
        $"{TablesFolder}/{task}_{metric}_{protocol}.{extension}";

    public static string ProbeFigure(string task, string metric, string protocol, string extension) =>
        $"{FiguresFolder}/{task}_{metric}_{protocol}.{extension}";

    public static string ImagesPerClassTable(string task, string extension) =>
        $"{TablesFolder}/{task}_images_per_class.{extension}";

    public static string ImagesPerClassFigure(string task, string extension) =>
        $"{FiguresFolder}/{task}_images_per_class.{extension}";

    public static string Panel(string extension) => $"{FiguresFolder}/panel.{extension}";

    public static string PretrainLoss(string extension) => $"{FiguresFolder}/pretrain_loss.{extension}";
}
