using System.Globalization;
using System.Text;
using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// The experiment's <c>report.md</c>: provenance, the manifest's deviations, per task its tables and figures, the
/// pre-training loss curves, the claim checks, the paired comparisons and the cells the numbers come from. Figures are
/// linked by their paths in <see cref="RenderedFiles"/>. <see cref="HtmlReportWriter"/> shares its wording.
/// </summary>
public static class ReportWriter
{
    public static string Markdown(RenderInput input)
    {
        var text = new StringBuilder();
        text.Append($"# {input.Title}\n\nExperiment `{input.ExperimentId}`.\n\n");
        AppendProvenance(text, input.Provenance);
        AppendDeviations(text, input.Deviations);
        AppendResults(text, input);
        AppendPretraining(text, input.PretrainLosses);
        AppendClaims(text, input.Claims);
        AppendSignificance(text, input);
        AppendCells(text, input.Cells);
        return text.ToString();
    }

    private static void AppendProvenance(StringBuilder text, RenderProvenance provenance)
    {
        text.Append("## Provenance\n\n| | |\n|---|---|\n");
        AppendPair(text, "commit", provenance.Commit);
        AppendPair(text, "device", provenance.Device);
        AppendPair(text, "threads", provenance.Threads.ToString(CultureInfo.InvariantCulture));
        AppendPair(text, "host", provenance.Host);
        AppendPair(text, "time", provenance.Time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        foreach (var (package, version) in provenance.Versions.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            AppendPair(text, package, version);
        }

        text.Append('\n');
    }

    private static void AppendPair(StringBuilder text, string name, string value) =>
        text.Append($"| {TableWriters.EscapeMarkdownCell(name)} | {TableWriters.EscapeMarkdownCell(value)} |\n");

    private static void AppendDeviations(StringBuilder text, IReadOnlyList<string> deviations)
    {
        text.Append("## Deviations from the study\n\n");
        if (deviations.Count == 0)
        {
            text.Append("None declared.\n");
        }

        foreach (var deviation in deviations)
        {
            text.Append($"- {deviation}\n");
        }

        text.Append('\n');
    }

    private static void AppendResults(StringBuilder text, RenderInput input)
    {
        text.Append("## Results\n\n")
            .Append($"Each cell is the mean ± sample standard deviation over the {input.Folds} folds: a descriptive spread ")
            .Append("over the folds' training/validation splits and each fine-tuning run's seed, every fold tested on the ")
            .Append("same official test set. \"(n=k)\" marks a cell where only k folds define the metric, \"n/a\" one ")
            .Append("where none does; the best mean per column is in bold. The tables are also under `tables/` as CSV and ")
            .Append($"LaTeX, and every row with n and its 95% CI is in [`{RenderedFiles.Results}`]({RenderedFiles.Results}). ")
            .Append("The figures' bands are ±1 std over folds.\n\n")
            .Append($"![All tasks and metrics]({RenderedFiles.Panel("png")}) ([SVG]({RenderedFiles.Panel("svg")}))\n\n");
        foreach (var task in input.Tasks)
        {
            text.Append($"### {task}\n\n");
            foreach (var metric in input.Metrics)
            {
                var name = RenderText.MetricName(metric);
                text.Append($"#### {name}\n\n")
                    .Append(TableWriters.Markdown(MetricTable.From(input, task, metric)))
                    .Append('\n')
                    .Append($"![{task}: {name}]({RenderedFiles.Figure(task, metric, "png")}) ")
                    .Append($"([SVG]({RenderedFiles.Figure(task, metric, "svg")}))\n\n");
            }
        }
    }

    private static void AppendPretraining(StringBuilder text, IReadOnlyList<PretrainLossCurve> curves)
    {
        text.Append("## Pre-training\n\n");
        if (curves.Count == 0)
        {
            text.Append(NoPretraining).Append("\n\n");
            return;
        }

        text.Append(PretrainingIntro).Append("\n\n")
            .Append($"![Pre-training loss]({RenderedFiles.PretrainLoss("png")}) ([SVG]({RenderedFiles.PretrainLoss("svg")}))\n\n")
            .Append("| Method | Epochs | First epoch | Last epoch |\n|---|---:|---:|---:|\n");
        foreach (var curve in curves)
        {
            text.Append($"| {TableWriters.EscapeMarkdownCell(curve.Method)} | {curve.EpochLosses.Count} ")
                .Append($"| {RenderText.FourSignificant(curve.EpochLosses[0])} | {RenderText.FourSignificant(curve.EpochLosses[^1])} |\n");
        }

        text.Append('\n');
    }

    internal const string NoPretraining = "No pre-training: every init is scratch.";

    internal const string PretrainingIntro =
        "The mean training loss of each pre-training epoch, per method; every step's loss and learning rate are in the " +
        "pretrain cell's `loss.csv`, and its `tensorboard/` folder has them with the throughput. Each method's loss has " +
        "a scale of its own, so compare the curves' shapes, not their heights.";

    internal const string CellsIntro =
        "The cells these numbers come from, by address. The links lead from this report's copy in the cache " +
        "(`<cache>/render/…/`) to each cell's folder; in `results/<experiment>/` they name the folder under the cache root.";

    private static void AppendCells(StringBuilder text, IReadOnlyList<RenderedCell> cells)
    {
        text.Append("\n## Cells\n\n").Append(CellsIntro).Append("\n\n");
        foreach (var cell in cells)
        {
            text.Append($"- [`{cell.Address}`]({cell.Link})\n");
        }
    }

    internal static string Verdict(ClaimVerdict verdict) => verdict switch
    {
        ClaimVerdict.Holds => "holds",
        ClaimVerdict.DoesNotHold => "does not hold",
        ClaimVerdict.NotEvaluable => "not evaluable",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "Unknown claim verdict."),
    };

    private static void AppendClaims(StringBuilder text, IReadOnlyList<ClaimCheck> claims)
    {
        text.Append("## Claims\n\n");
        if (claims.Count == 0)
        {
            text.Append("No claim was checked.\n\n");
        }

        foreach (var claim in claims)
        {
            text.Append($"- ({claim.Id}) {claim.Statement} — **{Verdict(claim.Verdict)}**.\n  {claim.Evidence}\n");
        }

        text.Append('\n');
    }

    private static void AppendSignificance(StringBuilder text, RenderInput input)
    {
        text.Append("## Significance\n\n")
            .Append("Each init against its baseline, paired over the folds both have: the mean of the per-fold differences ")
            .Append("(init − baseline) with its Student-t 95% CI, a paired t-test, and a Wilcoxon signed-rank test only when ")
            .Append("n ≥ 6 (with five folds its smallest two-sided p is 0.0625). Fold scores are correlated — the folds' ")
            .Append("training sets overlap and share one test set — so no unbiased estimate of their variance exists ")
            .Append("(Bengio & Grandvalet 2004): these intervals and p-values are descriptive, not confirmatory.\n\n");
        if (input.Comparisons.Count == 0)
        {
            text.Append("No comparison was computed.\n");
            return;
        }

        text.Append("| Task | Comparison | Metric | Fraction | n | Mean difference [95% CI] | Test | p |\n")
            .Append("|---|---|---|---:|---:|---:|---|---:|\n");
        foreach (var row in OrderedComparisons(input))
        {
            text.Append($"| {TableWriters.EscapeMarkdownCell(row.Task)} ")
                .Append($"| {TableWriters.EscapeMarkdownCell(row.Init)} vs {TableWriters.EscapeMarkdownCell(row.Baseline)} ")
                .Append($"| {RenderText.MetricName(row.Metric)} | {RenderText.Percent(row.Fraction)} | {row.N} ")
                .Append($"| {Difference(row)} | {TableWriters.EscapeMarkdownCell(row.Test)} | {PValue(row.PValue)} |\n");
        }
    }

    /// <summary>The comparisons in the input's task, metric and init order (anything not listed after, by name), largest fraction first.</summary>
    internal static IEnumerable<ComparisonRow> OrderedComparisons(RenderInput input) => input.Comparisons
        .OrderBy(row => TableWriters.Position(input.Tasks, row.Task)).ThenBy(row => row.Task, StringComparer.Ordinal)
        .ThenBy(row => TableWriters.Position(input.Metrics, row.Metric)).ThenBy(row => row.Metric, StringComparer.Ordinal)
        .ThenBy(row => TableWriters.Position(input.Inits, row.Init)).ThenBy(row => row.Init, StringComparer.Ordinal)
        .ThenByDescending(row => row.Fraction)
        .ThenBy(row => row.Test, StringComparer.Ordinal);

    internal static string Difference(ComparisonRow row)
    {
        if (double.IsNaN(row.MeanDifference))
        {
            return "n/a";
        }

        var interval = double.IsNaN(row.CiLow) || double.IsNaN(row.CiHigh)
            ? "n/a"
            : $"{RenderText.SignedThreeDecimals(row.CiLow)}, {RenderText.SignedThreeDecimals(row.CiHigh)}";
        return $"{RenderText.SignedThreeDecimals(row.MeanDifference)} [{interval}]";
    }

    internal static string PValue(double p) =>
        double.IsNaN(p) ? "n/a" : p < 0.001 ? "< 0.001" : RenderText.ThreeDecimals(p);
}
