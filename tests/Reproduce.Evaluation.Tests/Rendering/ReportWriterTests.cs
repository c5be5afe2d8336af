using Reproduce.Evaluation.Rendering;

namespace Reproduce.Evaluation.Tests.Rendering;

public sealed class ReportWriterTests
{
    private static readonly string Report = ReportWriter.Markdown(SampleRenderInput.Create());

    [Fact]
    public void OpensWithTheTitleAndTheProvenance()
    {
        Assert.StartsWith(
            """
            # Sample experiment

            Experiment `sample`.

            ## Provenance

            | | |
            |---|---|
            | commit | 0123abc |
            | device | cpu |
            | threads | 2 |
            | host | node1 |
            | time | 2025-03-04T05:06:07+00:00 |
            | ScottPlot | 5.1.59 |
            | TorchSharp | 0.107.0 |

            ## Deviations from the study

            - Synthetic data.
            - Three folds.

            ## Results

            """,
            Report);
    }

    [Fact]
    public void EmbedsEachTasksTablesAndLinksItsFiguresRelatively()
    {
        Assert.Contains("![All tasks and metrics](figures/panel.png) ([SVG](figures/panel.svg))", Report);
        Assert.Contains(
            """
            ### covid

            #### AUC

            | Init | 100% | 25% | 10% |
            """,
            Report);
        Assert.Contains("| spark | **0.850 ± 0.020** | n/a | n/a |\n\n![covid: AUC](figures/covid_auc.png) ([SVG](figures/covid_auc.svg))", Report);
        Assert.Contains("![organsmnist: F1](figures/organsmnist_f1.png)", Report);
        Assert.True(Report.IndexOf("### covid", StringComparison.Ordinal) < Report.IndexOf("### organsmnist", StringComparison.Ordinal));
    }

    [Fact]
    public void ShowsEachTasksImagesPerClassTableAndFigureAfterTheResults()
    {
        Assert.Contains(
            """
            ### covid

            | Metric | Init | Sizes | Target | a | b | c | Images per class (fit) | Bootstrap median [95% interval] | Reached |
            |---|---|---:|---:|---:|---:|---:|---:|---:|---:|
            | AUC | scratch | 3 | 0.812 | 0.860 | 0.9 | 0.700 | 41.8 | 43.1 [30.2, 70.5] | 990 of 1000 |
            | AUC | byol | 3 | 0.812 | 0.880 | 0.5 | 0.800 | 10.9 | 11.2 [6.01, not reached] | 870 of 1000 |
            | AUC | spark | 1 | 0.812 | n/a | n/a | n/a | n/a | n/a | n/a |
            | F1 | scratch | 3 | 0.700 | 0.690 | 0.1 | 0.500 | not reached | not reached [not reached, not reached] | 0 of 1000 |

            As `tables/covid_images_per_class.csv` and `tables/covid_images_per_class.md`.

            ![covid: AUC against training images per class](figures/covid_images_per_class.png) ([SVG](figures/covid_images_per_class.svg))

            ### organsmnist

            No scratch result at 100% training data, so there is no target.
            """,
            Report);
        Assert.True(Report.IndexOf("## Results", StringComparison.Ordinal) < Report.IndexOf("## Images per class", StringComparison.Ordinal));
        Assert.True(Report.IndexOf("## Images per class", StringComparison.Ordinal) < Report.IndexOf("## Pre-training", StringComparison.Ordinal));
    }

    [Fact]
    public void ShowsEachProtocolsTablesFiguresAndComparisonsAfterImagesPerClass()
    {
        var report = ReportWriter.Markdown(SampleRenderInput.WithProbes());
        var probes = report[report.IndexOf("## Linear probe and kNN (frozen encoder)\n", StringComparison.Ordinal)..report.IndexOf("## Pre-training", StringComparison.Ordinal)];

        Assert.True(report.IndexOf("## Images per class", StringComparison.Ordinal) < report.IndexOf("## Linear probe and kNN", StringComparison.Ordinal));
        Assert.Contains("mean ± sample standard deviation over the 3 folds", probes, StringComparison.Ordinal);
        Assert.Contains(
            """
            ### Linear probe

            The frozen encoder's features of each image, standardised, feed a multinomial logistic regression whose L2 penalty is chosen from 1e-6 to 1 by validation accuracy.

            #### covid

            ##### AUC

            | Init | 100% | 25% |
            |---|---:|---:|
            | scratch | 0.611 ± 0.011 | n/a |
            | byol | **0.722 ± 0.022** | **0.703 ± 0.013** |
            | spark | n/a | n/a |

            ![covid: AUC, Linear probe](figures/covid_auc_linear_probe.png) ([SVG](figures/covid_auc_linear_probe.svg))

            ##### F1
            """,
            probes);
        Assert.Contains("#### organsmnist\n\n##### AUC\n\n| Init | 100% |\n|---|---:|\n| scratch | n/a |\n| byol | n/a |\n| spark | **0.889 ± 0.009** (n=2) |\n", probes, StringComparison.Ordinal);
        Assert.Contains(
            """
            #### Linear probe: paired comparisons

            | Task | Comparison | Metric | Fraction | n | Mean difference [95% CI] | Test | p |
            |---|---|---|---:|---:|---:|---|---:|
            | covid | byol vs scratch | AUC | 100% | 3 | +0.111 [+0.051, +0.171] | paired-t | 0.015 |

            ### kNN

            A weighted kNN on the frozen encoder's features (InstDisc's): the 7 training images of highest cosine similarity s to a test image vote for their classes, each with weight exp(s / 0.1).

            #### covid
            """,
            probes);
        var knn = probes[probes.IndexOf("### kNN", StringComparison.Ordinal)..];
        Assert.Contains("| spark | **0.667 ± 0.017** |\n\n![covid: AUC, kNN](figures/covid_auc_knn.png)", knn, StringComparison.Ordinal);
        Assert.DoesNotContain("#### organsmnist", knn, StringComparison.Ordinal);
        Assert.EndsWith("#### kNN: paired comparisons\n\nNo comparison was computed.\n\n", probes, StringComparison.Ordinal);
    }

    [Fact]
    public void ProbesAddOnlyTheirSection()
    {
        var report = ReportWriter.Markdown(SampleRenderInput.WithProbes());
        var start = report.IndexOf("## Linear probe and kNN (frozen encoder)\n", StringComparison.Ordinal);

        Assert.Equal(Report, report.Remove(start, report.IndexOf("## Pre-training", StringComparison.Ordinal) - start));
        Assert.DoesNotContain("Linear probe", Report, StringComparison.Ordinal);
        Assert.DoesNotContain("kNN", Report, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowsThePretrainingLossFigureWithEachMethodsFirstAndLastEpoch()
    {
        Assert.Contains("## Pre-training\n\n", Report, StringComparison.Ordinal);
        Assert.Contains("![Pre-training loss](figures/pretrain_loss.png) ([SVG](figures/pretrain_loss.svg))", Report, StringComparison.Ordinal);
        Assert.Contains("| byol | 3 | 4.2 | 2.55 |\n| spark | 3 | 0.91 | 0.6543 |\n", Report, StringComparison.Ordinal);
        Assert.True(Report.IndexOf("## Results", StringComparison.Ordinal) < Report.IndexOf("## Pre-training", StringComparison.Ordinal));
        Assert.True(Report.IndexOf("## Pre-training", StringComparison.Ordinal) < Report.IndexOf("## Claims", StringComparison.Ordinal));
    }

    [Fact]
    public void EndsWithTheCellsLinkedRelativeToTheRenderCellInTheCache() =>
        Assert.EndsWith(
            "- [`pretrain[method=byol]`](../../../pretrain/ab/ab01/)\n"
            + "- [`aggregate[task=covid]`](../../../aggregate/cd/cd02/)\n"
            + "- [`finetune[task=covid, init=byol, fold=0, fraction=1.0]`](../../../finetune/ef/ef03/)\n",
            Report);

    [Fact]
    public void MarksEveryClaimWithItsVerdictAndEvidence()
    {
        Assert.Contains(
            """
            ## Claims

            - (a) Pre-training helps at every fraction. — **holds**.
              byol beats scratch at 1 of 1.
            - (b) SparK is the best method. — **does not hold**.
              byol leads at 10%.
            - (c) Gains grow below 100 images per class. — **not evaluable**.
              No fraction that small.

            """,
            Report);
    }

    [Fact]
    public void ListsComparisonsAsDescriptiveWithDifferenceIntervalTestAndP()
    {
        var significance = Report[Report.IndexOf("## Significance", StringComparison.Ordinal)..Report.IndexOf("\n## Cells", StringComparison.Ordinal)];

        Assert.Contains("p-values are descriptive", significance);
        Assert.EndsWith(
            """
            | Task | Comparison | Metric | Fraction | n | Mean difference [95% CI] | Test | p |
            |---|---|---|---:|---:|---:|---|---:|
            | covid | byol vs scratch | AUC | 100% | 3 | +0.038 [-0.010, +0.086] | paired-t | 0.170 |
            | covid | byol vs scratch | AUC | 10% | 1 | +0.040 [n/a] | paired-t | n/a |
            | covid | spark vs scratch | AUC | 100% | 3 | -0.001 [-0.001, 0.000] | paired-t | < 0.001 |

            """,
            significance);
    }

    [Fact]
    public void SaysSoWhenThereIsNothingToList()
    {
        var report = ReportWriter.Markdown(SampleRenderInput.Create() with { Deviations = [], Claims = [], Comparisons = [] });

        Assert.Contains("## Deviations from the study\n\nNone declared.\n", report);
        Assert.Contains("## Claims\n\nNo claim was checked.\n", report);
        Assert.Contains("No comparison was computed.\n\n## Cells", report);
    }
}
