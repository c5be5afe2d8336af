using System.Globalization;
using Reproduce.Core.Manifests;
using Reproduce.Evaluation.Aggregation;
using Reproduce.Evaluation.Statistics;
using static Reproduce.Evaluation.Rendering.ReportBlock;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// The experiment's report as both formats tell it, built once from the <see cref="RenderInput"/>: provenance, the
/// manifest's deviations, per task its tables and figures, per task the images per class each init needs to reach
/// scratch's full-data score, when the experiment has them the frozen-encoder protocols' tables, figures and paired
/// comparisons, the pre-training loss curves, the claim checks, the paired comparisons and the cells the numbers come from. <see cref="ReportWriter"/> renders it as report.md and
/// <see cref="HtmlReportWriter"/> as report.html, so a section is added here, once.
/// </summary>
internal sealed record ReportDocument(string Title, string ExperimentId, IReadOnlyList<ReportSection> Sections)
{
    private const string NoPretraining = "No pre-training: every init is scratch.";

    private const string PretrainingIntro =
        "The mean training loss of each pre-training epoch, per method; every step's loss and learning rate are in the " +
        "pretrain cell's `loss.csv`, and its `tensorboard/` folder has them with the throughput. Each method's loss has " +
        "a scale of its own, so compare the curves' shapes, not their heights.";

    private const string CellsIntro =
        "The cells these numbers come from, by address. The links lead from this report's copy in the cache " +
        "(`<cache>/render/…/`) to each cell's folder; in `results/<experiment>/` they name the folder under the cache root.";

    public static ReportDocument From(RenderInput input) => new(
        input.Title,
        input.ExperimentId,
        [
            Provenance(input.Provenance),
            Deviations(input.Deviations),
            Results(input),
            ImagesPerClass(input),
            .. input.Probes.Count == 0 ? (IEnumerable<ReportSection>)[] : [Probes(input)],
            Pretraining(input.PretrainLosses),
            ClaimChecks(input.Claims),
            Significance(input),
            new ReportSection("cells", "Cells", "Cells", [new Paragraph(CellsIntro), new Cells(input.Cells)]),
        ]);

    private static ReportSection Provenance(RenderProvenance provenance)
    {
        List<(string, string)> pairs =
        [
            ("commit", provenance.Commit),
            ("device", provenance.Device),
            ("threads", provenance.Threads.ToString(CultureInfo.InvariantCulture)),
            ("host", provenance.Host),
            ("time", provenance.Time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)),
            .. provenance.Versions.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => (pair.Key, pair.Value)),
        ];
        return new ReportSection("provenance", "Provenance", "Provenance", [new PairTable("provenance", pairs)]);
    }

    private static ReportSection Deviations(IReadOnlyList<string> deviations) =>
        new("deviations", "Deviations from the study", "Deviations", [deviations.Count == 0 ? new Paragraph("None declared.") : new BulletList(deviations)]);

    private static ReportSection Results(RenderInput input)
    {
        var intro = new WordedParagraph(
            $"Each cell is the mean ± sample standard deviation over the {input.Folds} folds: a descriptive spread "
            + "over the folds' training/validation splits and each fine-tuning run's seed, every fold tested on the "
            + "same official test set. \"(n=k)\" marks a cell where only k folds define the metric, \"n/a\" one "
            + "where none does; the best mean per column is in bold. The tables are also under `tables/` as CSV and "
            + $"LaTeX, and every row with n and its 95% CI is in [`{RenderedFiles.Results}`]({RenderedFiles.Results}). "
            + "The figures' bands are ±1 std over folds.",
            $"Each cell is the mean ± sample standard deviation over the {input.Folds} folds, every fold tested on "
            + "the same official test set. \"(n=k)\" marks a cell where only k folds define the metric, \"n/a\" one where "
            + "none does; the best mean per column is in bold. Every row with n and its 95% CI is in "
            + $"<a href=\"{RenderedFiles.Results}\">{RenderedFiles.Results}</a>. The figures' bands are ±1 std over folds.");
        List<ReportBlock> blocks = [intro, new Figure("All tasks and metrics", RenderedFiles.Panel("svg"), RenderedFiles.Panel("png"))];
        foreach (var task in input.Tasks)
        {
            blocks.Add(new Heading(3, task));
            foreach (var metric in input.Metrics)
            {
                var name = RenderText.MetricName(metric);
                blocks.Add(new Heading(4, name));
                blocks.Add(new Metric(MetricTable.From(input, task, metric)));
                blocks.Add(new Figure($"{task}: {name}", RenderedFiles.Figure(task, metric, "svg"), RenderedFiles.Figure(task, metric, "png")));
            }
        }

        return new ReportSection("results", "Results", "Results", blocks);
    }

    private static ReportSection ImagesPerClass(RenderInput input)
    {
        var figureMetric = FigureRenderer.ImagesPerClassMetric(input);
        var intro = new Paragraph(
            "How many training images per class each init needs to match scratch trained on all the data. Per task, "
            + "metric and init, an inverse power law score(n) = a − b·n^(−c) (a ≤ 1, b ≥ 0, "
            + $"{InversePowerLaw.MinExponent.ToString(CultureInfo.InvariantCulture)} ≤ c ≤ {InversePowerLaw.MaxExponent.ToString(CultureInfo.InvariantCulture)}) "
            + "is fitted by least squares to the init's mean score over folds against its mean training images per class "
            + "at each training fraction (a fold's training-set size over the class count). The target is scratch's mean "
            + "score at 100%. The images per class needed are n* = (b / (a − target))^(1/c) on the fitted curve, or "
            + "\"not reached\" when the curve's asymptote a is at or below the target. The bootstrap draws the folds with "
            + $"replacement {Aggregator.ImagesPerClassResamples.ToString(CultureInfo.InvariantCulture)} times and refits "
            + "both the curve and the target on each draw; the table gives the median and 95% percentile interval of n* "
            + "over the draws, a draw whose curve never reaches its target counting above every one that does (so a "
            + "bound can itself be \"not reached\"), and in how many draws the target is reached. \"Sizes\" counts the "
            + "training sizes fitted (a curve needs three); an n* outside the sizes trained on is an extrapolation. "
            + $"The figures show {RenderText.MetricName(figureMetric)}: the means over folds, the fitted curves and the "
            + "target as a dashed line; every metric's numbers are in the tables.");
        List<ReportBlock> blocks = [intro];
        foreach (var task in input.Tasks)
        {
            blocks.Add(new Heading(3, task));
            var table = ImagesPerClassTable.From(input, task);
            if (table.Rows.Count == 0)
            {
                blocks.Add(new Paragraph("No scratch result at 100% training data, so there is no target."));
                continue;
            }

            blocks.Add(table.Block());
            blocks.Add(new Paragraph(
                $"As `{RenderedFiles.ImagesPerClassTable(task, "csv")}` and `{RenderedFiles.ImagesPerClassTable(task, "md")}`."));
            blocks.Add(new Figure(
                $"{task}: {RenderText.MetricName(figureMetric)} against training images per class",
                RenderedFiles.ImagesPerClassFigure(task, "svg"),
                RenderedFiles.ImagesPerClassFigure(task, "png")));
        }

        return new ReportSection("images-per-class", "Images per class", "Images per class", blocks);
    }

    /// <summary>
    /// The frozen-encoder protocols, each after a sentence on how it classifies: per task its tables and figures as
    /// the results show fine-tuning's, then its paired comparisons as the significance section shows fine-tuning's.
    /// </summary>
    private static ReportSection Probes(RenderInput input)
    {
        var intro = new WordedParagraph(
            "Besides fine-tuning, each init's encoder is evaluated frozen: only a classifier on its features learns from "
            + "the task's training images, so these tables show what the pre-training alone put into the features. They read "
            + $"as the results': each cell is the mean ± sample standard deviation over the {input.Folds} folds, \"(n=k)\" and "
            + "\"n/a\" as there, the best mean per column in bold; they are also under `tables/` as CSV and LaTeX, named "
            + "`<task>_<metric>_<protocol>`. Each protocol's paired comparisons read as the significance section's.",
            "Besides fine-tuning, each init's encoder is evaluated frozen: only a classifier on its features learns from "
            + "the task's training images, so these tables show what the pre-training alone put into the features. They read "
            + $"as the results': each cell is the mean ± sample standard deviation over the {input.Folds} folds, \"(n=k)\" and "
            + "\"n/a\" as there, the best mean per column in bold. Each protocol's paired comparisons read as the "
            + "significance section's.");
        List<ReportBlock> blocks = [intro];
        foreach (var probe in input.Probes)
        {
            var protocol = RenderText.ProtocolName(probe.Protocol);
            blocks.Add(new Heading(3, protocol));
            if (ProtocolDescription(probe) is { } description)
            {
                blocks.Add(new Paragraph(description));
            }

            foreach (var task in probe.TasksIn(input))
            {
                blocks.Add(new Heading(4, task));
                foreach (var metric in input.Metrics)
                {
                    var name = RenderText.MetricName(metric);
                    blocks.Add(new Heading(5, name));
                    blocks.Add(new Metric(MetricTable.From(input, probe, task, metric)));
                    blocks.Add(new Figure(
                        $"{task}: {name}, {protocol}",
                        RenderedFiles.ProbeFigure(task, metric, probe.Protocol, "svg"),
                        RenderedFiles.ProbeFigure(task, metric, probe.Protocol, "png")));
                }
            }

            blocks.Add(new Heading(4, $"{protocol}: paired comparisons"));
            blocks.Add(probe.Comparisons.Count == 0 ? new Paragraph("No comparison was computed.") : ComparisonTable(input, probe.Comparisons));
        }

        return new ReportSection("probes", "Linear probe and kNN (frozen encoder)", "Linear probe and kNN", blocks);
    }

    /// <summary>How a known protocol classifies from the frozen features; null for one the report does not know.</summary>
    private static string? ProtocolDescription(ProtocolResults probe) => probe.Protocol switch
    {
        Identifiers.LinearProbe =>
            "The frozen encoder's features of each image, standardised, feed a multinomial logistic regression whose L2 "
            + "penalty is chosen from 1e-6 to 1 by validation accuracy.",
        Identifiers.Knn when probe is { KnnNeighbours: { } k, KnnTemperature: { } t } =>
            $"A weighted kNN on the frozen encoder's features (InstDisc's): the {k} training images of highest cosine "
            + $"similarity s to a test image vote for their classes, each with weight exp(s / {t.ToString(CultureInfo.InvariantCulture)}).",
        _ => null,
    };

    private static ReportSection Pretraining(IReadOnlyList<PretrainLossCurve> curves)
    {
        if (curves.Count == 0)
        {
            return new ReportSection("pretraining", "Pre-training", "Pre-training", [new Paragraph(NoPretraining)]);
        }

        var table = new Table(
            "pretraining",
            [new Column("Method"), new Column("Epochs", Numeric: true), new Column("First epoch", Numeric: true), new Column("Last epoch", Numeric: true)],
            RowHeaders: true,
            [
                .. curves.Select(curve => (IReadOnlyList<string>)
                [
                    curve.Method,
                    curve.EpochLosses.Count.ToString(CultureInfo.InvariantCulture),
                    RenderText.FourSignificant(curve.EpochLosses[0]),
                    RenderText.FourSignificant(curve.EpochLosses[^1]),
                ]),
            ]);
        return new ReportSection(
            "pretraining", "Pre-training", "Pre-training",
            [new Paragraph(PretrainingIntro), new Figure("Pre-training loss", RenderedFiles.PretrainLoss("svg"), RenderedFiles.PretrainLoss("png")), table]);
    }

    /// <summary>The claims; without any, a paragraph says so before the empty list (whose blank line report.md keeps).</summary>
    private static ReportSection ClaimChecks(IReadOnlyList<ClaimCheck> claims) => new(
        "claims", "Claims", "Claims",
        claims.Count == 0 ? [new Paragraph("No claim was checked."), new Claims(claims)] : [new Claims(claims)]);

    private static ReportSection Significance(RenderInput input)
    {
        var intro = new WordedParagraph(
            "Each init against its baseline, paired over the folds both have: the mean of the per-fold differences "
            + "(init − baseline) with its Student-t 95% CI, a paired t-test, and a Wilcoxon signed-rank test only when "
            + "n ≥ 6 (with five folds its smallest two-sided p is 0.0625). Fold scores are correlated — the folds' "
            + "training sets overlap and share one test set — so no unbiased estimate of their variance exists "
            + "(Bengio & Grandvalet 2004): these intervals and p-values are descriptive, not confirmatory.",
            "Each init against its baseline, paired over the folds both have: the mean of the per-fold differences "
            + "(init − baseline) with its Student-t 95% CI, a paired t-test, and a Wilcoxon signed-rank test only when "
            + "n ≥ 6. Fold scores are correlated, so these intervals and p-values are descriptive, not confirmatory; "
            + $"<a href=\"{RenderedFiles.Report}\">{RenderedFiles.Report}</a> says why.");
        if (input.Comparisons.Count == 0)
        {
            return new ReportSection("significance", "Significance", "Significance", [intro, new Paragraph("No comparison was computed.")]);
        }

        return new ReportSection("significance", "Significance", "Significance", [intro, ComparisonTable(input, input.Comparisons)]);
    }

    /// <summary>Paired comparisons as a table, fine-tuning's or a frozen-encoder protocol's.</summary>
    private static Table ComparisonTable(RenderInput input, IReadOnlyList<ComparisonRow> comparisons) => new(
        "significance",
        [
            new Column("Task"), new Column("Comparison"), new Column("Metric"), new Column("Fraction", Numeric: true), new Column("n", Numeric: true),
            new Column("Mean difference [95% CI]", Numeric: true), new Column("Test"), new Column("p", Numeric: true),
        ],
        RowHeaders: false,
        [
            .. OrderedComparisons(input, comparisons).Select(row => (IReadOnlyList<string>)
            [
                row.Task, $"{row.Init} vs {row.Baseline}", RenderText.MetricName(row.Metric), RenderText.Percent(row.Fraction),
                row.N.ToString(CultureInfo.InvariantCulture), Difference(row), row.Test, PValue(row.PValue),
            ]),
        ]);

    /// <summary>The comparisons in the input's task, metric and init order (anything not listed after, by name), largest fraction first.</summary>
    private static IEnumerable<ComparisonRow> OrderedComparisons(RenderInput input, IReadOnlyList<ComparisonRow> comparisons) => comparisons
        .OrderBy(row => TableWriters.Position(input.Tasks, row.Task)).ThenBy(row => row.Task, StringComparer.Ordinal)
        .ThenBy(row => TableWriters.Position(input.Metrics, row.Metric)).ThenBy(row => row.Metric, StringComparer.Ordinal)
        .ThenBy(row => TableWriters.Position(input.Inits, row.Init)).ThenBy(row => row.Init, StringComparer.Ordinal)
        .ThenByDescending(row => row.Fraction)
        .ThenBy(row => row.Test, StringComparer.Ordinal);

    private static string Difference(ComparisonRow row)
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

    private static string PValue(double p) =>
        double.IsNaN(p) ? "n/a" : p < 0.001 ? "< 0.001" : RenderText.ThreeDecimals(p);

    /// <summary>How a claim's verdict reads (report.html also takes it, hyphenated, as the verdict's class).</summary>
    internal static string Verdict(ClaimVerdict verdict) => verdict switch
    {
        ClaimVerdict.Holds => "holds",
        ClaimVerdict.DoesNotHold => "does not hold",
        ClaimVerdict.NotEvaluable => "not evaluable",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "Unknown claim verdict."),
    };
}

/// <summary>
/// One section of the report: its anchor in report.html (<paramref name="Id"/>), its heading, the shorter name the
/// page's navigation gives it, and its blocks in order.
/// </summary>
internal sealed record ReportSection(string Id, string Title, string NavName, IReadOnlyList<ReportBlock> Blocks);
