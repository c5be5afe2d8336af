using Reproduce.Evaluation.Aggregation;
using Reproduce.Evaluation.Rendering;

namespace Reproduce.Evaluation.Tests.Rendering;

/// <summary>
/// A hand-made render input: two tasks, two metrics, three inits, three folds, fractions 1, 0.25 and 0.1. covid's
/// AUC holds every kind of cell — full, fewer folds, a single fold, undefined, missing, and a tie for best. Two
/// methods pre-trained for three epochs, the cells of one init and fold, and covid's images-per-class estimates.
/// <see cref="Create"/> evaluates by fine-tuning only; <see cref="WithProbes"/> adds the frozen-encoder protocols.
/// </summary>
internal static class SampleRenderInput
{
    public static RenderInput Create() => new(
        ExperimentId: "sample",
        Title: "Sample experiment",
        Tasks: ["covid", "organsmnist"],
        Metrics: ["auc", "f1"],
        Inits: ["scratch", "byol", "spark"],
        Folds: 3,
        Summaries:
        [
            Row("covid", "scratch", 1.0, "auc", 3, 0.8123, 0.0214),
            Row("covid", "scratch", 0.25, "auc", 3, 0.7, 0.05),
            Row("covid", "scratch", 0.1, "auc", 1, 0.61, double.NaN),
            Row("covid", "byol", 1.0, "auc", 3, 0.8501, 0.0102),
            Row("covid", "byol", 0.25, "auc", 2, 0.7812, 0.0301),
            Row("covid", "byol", 0.1, "auc", 3, 0.65, 0.04),
            Row("covid", "spark", 1.0, "auc", 3, 0.8504, 0.02),
            Row("covid", "spark", 0.25, "auc", 0, double.NaN, double.NaN),
            Row("covid", "scratch", 1.0, "f1", 3, 0.7, 0.03),
            Row("covid", "byol", 1.0, "f1", 3, 0.72, 0.02),
            Row("covid", "spark", 1.0, "f1", 3, 0.69, 0.01),
            Row("organsmnist", "scratch", 1.0, "auc", 3, 0.95, 0.01),
            Row("organsmnist", "scratch", 0.1, "auc", 3, 0.9, 0.02),
            Row("organsmnist", "byol", 1.0, "auc", 3, 0.96, 0.005),
            Row("organsmnist", "byol", 0.1, "auc", 3, 0.93, 0.01),
            Row("organsmnist", "spark", 1.0, "f1", 3, 0.8, 0.01),
        ],
        Comparisons:
        [
            new ComparisonRow("covid", 1.0, "auc", "byol", "scratch", 3, 0.0378, -0.01, 0.0856, "paired-t", 2.1, 0.17),
            new ComparisonRow("covid", 0.1, "auc", "byol", "scratch", 1, 0.04, double.NaN, double.NaN, "paired-t", double.NaN, double.NaN),
            new ComparisonRow("covid", 1.0, "auc", "spark", "scratch", 3, -0.0006, -0.0009, -0.0001, "paired-t", -40, 0.0004),
        ],
        Claims:
        [
            new ClaimCheck("a", "Pre-training helps at every fraction.", ClaimVerdict.Holds, "byol beats scratch at 1 of 1."),
            new ClaimCheck("b", "SparK is the best method.", ClaimVerdict.DoesNotHold, "byol leads at 10%."),
            new ClaimCheck("c", "Gains grow below 100 images per class.", ClaimVerdict.NotEvaluable, "No fraction that small."),
        ],
        Deviations: ["Synthetic data.", "Three folds."],
        Provenance: new RenderProvenance(
            Commit: "0123abc",
            Versions: new Dictionary<string, string> { ["TorchSharp"] = "0.107.0", ["ScottPlot"] = "5.1.59" },
            Device: "cpu",
            Threads: 2,
            Host: "node1",
            Time: new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero)),
        PretrainLosses: [new PretrainLossCurve("byol", [4.2, 3.1, 2.55]), new PretrainLossCurve("spark", [0.91, 0.72, 0.6543])],
        Cells:
        [
            new RenderedCell("pretrain[method=byol]", "pretrain/ab/ab01"),
            new RenderedCell("aggregate[task=covid]", "aggregate/cd/cd02"),
            new RenderedCell("finetune[task=covid, init=byol, fold=0, fraction=1.0]", "finetune/ef/ef03"),
        ],
        ImagesPerClass:
        [
            // covid's AUC: a curve that reaches scratch's full-data score with a finite interval, one whose upper bound is
            // not reached, and one with too few sizes to fit; F1 not reached at all. organsmnist has no rows (no target).
            new ImagesPerClassRow("covid", "auc", "scratch", 3, 0.8123, 0.86, 0.9, 0.7, 41.78, 1000, 990, 43.1, 30.2, 70.55),
            new ImagesPerClassRow("covid", "auc", "byol", 3, 0.8123, 0.88, 0.5, 0.8, 10.9, 1000, 870, 11.2, 6.01, double.PositiveInfinity),
            new ImagesPerClassRow("covid", "auc", "spark", 1, 0.8123, double.NaN, double.NaN, double.NaN, double.NaN, 0, 0, double.NaN, double.NaN, double.NaN),
            new ImagesPerClassRow("covid", "f1", "scratch", 3, 0.7, 0.69, 0.1, 0.5, double.PositiveInfinity, 1000, 0, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity),
        ],
        Probes: []);

    /// <summary>
    /// <see cref="Create"/> with a linear probe of both tasks (with comparisons against scratch) and a kNN of covid only
    /// (without comparisons), their numbers unlike any fine-tuning number so a test can tell whose a cell shows.
    /// </summary>
    public static RenderInput WithProbes() => Create() with
    {
        Probes =
        [
            new ProtocolResults(
                "linear_probe",
                [
                    Row("covid", "scratch", 1.0, "auc", 3, 0.6111, 0.0111),
                    Row("covid", "byol", 1.0, "auc", 3, 0.7222, 0.0222),
                    Row("covid", "byol", 0.25, "auc", 3, 0.7033, 0.0133),
                    Row("covid", "byol", 1.0, "f1", 3, 0.5444, 0.0144),
                    Row("organsmnist", "spark", 1.0, "auc", 2, 0.8888, 0.0088),
                ],
                [new ComparisonRow("covid", 1.0, "auc", "byol", "scratch", 3, 0.1111, 0.0511, 0.1711, "paired-t", 8.0, 0.0153)]),
            new ProtocolResults(
                "knn",
                [
                    Row("covid", "spark", 1.0, "auc", 3, 0.6666, 0.0166),
                    Row("covid", "scratch", 1.0, "f1", 3, 0.4333, 0.0133),
                ],
                [],
                KnnNeighbours: 7,
                KnnTemperature: 0.1),
        ],
    };

    private static SummaryRow Row(string task, string init, double fraction, string metric, int n, double mean, double std) =>
        new(task, init, fraction, metric, n, mean, std,
            n > 1 ? Math.Round(mean - 2 * std, 4) : double.NaN, n > 1 ? Math.Round(mean + 2 * std, 4) : double.NaN, 100 * fraction, (int)(40 * fraction), 50 * fraction);
}
