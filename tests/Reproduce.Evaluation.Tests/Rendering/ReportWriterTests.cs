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
        var significance = Report[Report.IndexOf("## Significance", StringComparison.Ordinal)..];

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
        Assert.EndsWith("No comparison was computed.\n", report);
    }
}
