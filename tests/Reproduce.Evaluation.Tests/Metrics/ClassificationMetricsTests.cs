using Reproduce.Evaluation.Aggregation;
using Reproduce.Evaluation.Metrics;

namespace Reproduce.Evaluation.Tests.Metrics;

/// <summary>Small cases worked by hand; the arithmetic is in each test's comment.</summary>
public class ClassificationMetricsTests
{
    private const double Tolerance = 1e-15;

    private static IReadOnlyList<double>[] Binary(params double[] positiveProbabilities) =>
        [.. positiveProbabilities.Select(p => (IReadOnlyList<double>)[1 - p, p])];

    [Fact]
    public void ABinaryTaskScoresThePositiveClass()
    {
        // labels 0 0 1 1, p_1 0.1 0.4 0.35 0.8 → predictions 0 0 0 1; confusion [[2, 0], [1, 1]].
        // accuracy 3/4; balanced (2/2 + 1/2) / 2 = 3/4; precision 1/1, recall 1/2, F1 2·1·½ / 1½ = 2/3;
        // F1 of class 0: P 2/3, R 1 → 2·⅔ / (5/3) = 4/5; macro (4/5 + 2/3) / 2 = 11/15; micro = accuracy.
        // AUC: positive 0.35 beats 0.1 and loses to 0.4, 0.8 beats both: 3 of 4 pairs.
        var metrics = ClassificationMetrics.Compute([0, 0, 1, 1], Binary(0.1, 0.4, 0.35, 0.8), 2);

        var values = metrics.FlatValues();
        Assert.Equal(["accuracy", "balanced_accuracy", "auc", "f1", "f1_macro", "f1_micro", "precision", "recall"], values.Keys);
        Assert.Equal(0.75, values["accuracy"]!.Value, Tolerance);
        Assert.Equal(0.75, values["balanced_accuracy"]!.Value, Tolerance);
        Assert.Equal(0.75, values["auc"]!.Value, Tolerance);
        Assert.Equal(2.0 / 3, values["f1"]!.Value, Tolerance);
        Assert.Equal(11.0 / 15, values["f1_macro"]!.Value, Tolerance);
        Assert.Equal(0.75, values["f1_micro"]!.Value, Tolerance);
        Assert.Equal(1.0, values["precision"]!.Value, Tolerance);
        Assert.Equal(0.5, values["recall"]!.Value, Tolerance);
        Assert.Empty(metrics.NotDefined());
        Assert.Equal(1, metrics.PositiveClass);
        Assert.Equal((2, 0, 1, 1), (metrics.Confusion[0, 0], metrics.Confusion[0, 1], metrics.Confusion[1, 0], metrics.Confusion[1, 1]));
    }

    [Fact]
    public void ThePositiveClassCanBeClassZero()
    {
        // The same images with class 0 positive: AUC of p_0 = 1 − p_1 for label 0 is again 3/4;
        // predictions 0 0 0 1: TP 2, FP 1, FN 0 → precision 2/3, recall 1, F1 4/5.
        var metrics = ClassificationMetrics.Compute([0, 0, 1, 1], Binary(0.1, 0.4, 0.35, 0.8), 2, positiveClass: 0);

        Assert.Equal(0, metrics.PositiveClass);
        Assert.Equal(0.75, metrics.Metrics["auc"].Value!.Value, Tolerance);
        Assert.Equal(2.0 / 3, metrics.Metrics["precision"].Value!.Value, Tolerance);
        Assert.Equal(1.0, metrics.Metrics["recall"].Value!.Value, Tolerance);
        Assert.Equal(0.8, metrics.Metrics["f1"].Value!.Value, Tolerance);
    }

    [Fact]
    public void TiedScoresCountOneHalfAndTiedProbabilitiesPredictTheLowestClass()
    {
        // labels 0 1 0 1, p_1 0.5 0.5 0.2 0.9. AUC: positive 0.5 ties negative 0.5 (½) and beats 0.2 (1),
        // 0.9 beats both (2): 3.5 / 4 = 0.875. The rows [0.5, 0.5] predict class 0 (np.argmax), so the
        // predictions are 0 0 0 1 and the accuracy is 3/4.
        var metrics = ClassificationMetrics.Compute([0, 1, 0, 1], Binary(0.5, 0.5, 0.2, 0.9), 2);

        Assert.Equal(0.875, metrics.Metrics["auc"].Value!.Value, Tolerance);
        Assert.Equal(0.75, metrics.Metrics["accuracy"].Value!.Value, Tolerance);
        Assert.Equal(0, ClassificationMetrics.Argmax([0.25, 0.25, 0.25, 0.25]));
        Assert.Equal(1, ClassificationMetrics.Argmax([0.2, 0.4, 0.4]));
    }

    [Fact]
    public void AMulticlassTaskAveragesOverItsClasses()
    {
        // labels 0 1 2 2; rows [.7 .2 .1] [.3 .4 .3] [.2 .5 .3] [.1 .1 .8] → predictions 0 1 1 2;
        // confusion [[1,0,0],[0,1,0],[0,1,1]]. accuracy 3/4; balanced (1 + 1 + ½) / 3 = 5/6;
        // F1 per class 1, 2·½·1 / 1½ = 2/3, 2·1·½ / 1½ = 2/3 → macro 7/9.
        // OvR AUC: class 0 scores .7 vs .3 .2 .1 → 1; class 1 .4 vs .2 .5 .1 → 2/3;
        // class 2 {.3, .8} vs {.1, .3} → (1 + ½ + 2) / 4 = 7/8; macro (1 + 2/3 + 7/8) / 3 = 61/72.
        IReadOnlyList<double>[] probabilities = [[0.7, 0.2, 0.1], [0.3, 0.4, 0.3], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]];

        var metrics = ClassificationMetrics.Compute([0, 1, 2, 2], probabilities, 3);

        var values = metrics.FlatValues();
        Assert.Equal(["accuracy", "balanced_accuracy", "auc", "f1_macro", "f1_micro"], values.Keys);
        Assert.Null(metrics.PositiveClass);
        Assert.Equal(0.75, values["accuracy"]!.Value, Tolerance);
        Assert.Equal(5.0 / 6, values["balanced_accuracy"]!.Value, Tolerance);
        Assert.Equal(61.0 / 72, values["auc"]!.Value, Tolerance);
        Assert.Equal(7.0 / 9, values["f1_macro"]!.Value, Tolerance);
        Assert.Equal(0.75, values["f1_micro"]!.Value, Tolerance);
        Assert.Equal(1, metrics.Confusion[2, 1]);
    }

    [Fact]
    public void AucIsNotDefinedWhenTheLabelsHoldOneClass()
    {
        // Every label is 0 (sklearn raises "Only one class present in y_true"); the predictions 0 1 give
        // accuracy ½, and nothing positive is right: precision 0/1, recall 0/0 → 0 (zero_division), F1 0.
        var metrics = ClassificationMetrics.Compute([0, 0], Binary(0.3, 0.7), 2);

        Assert.Null(metrics.Metrics["auc"].Value);
        Assert.Null(metrics.FlatValues()["auc"]);
        Assert.Equal("no label is the positive class 1; AUC needs both classes in the labels", metrics.NotDefined()["auc"]);
        Assert.Equal(["auc"], metrics.NotDefined().Keys);
        Assert.Equal(0.5, metrics.Metrics["accuracy"].Value!.Value, Tolerance);
        Assert.Equal(0.0, metrics.Metrics["precision"].Value!.Value);
        Assert.Equal(0.0, metrics.Metrics["recall"].Value!.Value);
        Assert.Equal(0.0, metrics.Metrics["f1"].Value!.Value);
    }

    [Fact]
    public void OneVsRestAucIsNotDefinedWhenAClassIsAbsentFromTheLabels()
    {
        IReadOnlyList<double>[] probabilities = [[0.6, 0.2, 0.1, 0.1], [0.1, 0.7, 0.1, 0.1], [0.2, 0.2, 0.5, 0.1]];

        var metrics = ClassificationMetrics.Compute([0, 1, 1], probabilities, 4);

        Assert.Null(metrics.Metrics["auc"].Value);
        Assert.Equal("classes 2, 3 are absent from the labels; one-vs-rest AUC needs each of the 4 classes", metrics.Metrics["auc"].NotDefinedReason);
        Assert.Equal(4, metrics.Confusion.Classes);
        Assert.Equal(1, metrics.Confusion[1, 2]);
    }

    [Fact]
    public void MacroF1CountsTheClassesOfLabelsAndPredictionsOnly()
    {
        // K = 4, labels 0 0 1, predictions 0 1 1; class 2 and 3 appear nowhere, so sklearn's labels are
        // {0, 1}: F1 of class 0 = 2·1·½ / 1½ = 2/3, of class 1 = 2·½·1 / 1½ = 2/3 → macro 2/3.
        // Balanced accuracy over the labels' classes: (½ + 1) / 2 = 3/4.
        IReadOnlyList<double>[] probabilities = [[0.7, 0.1, 0.1, 0.1], [0.1, 0.7, 0.1, 0.1], [0.1, 0.7, 0.1, 0.1]];

        var metrics = ClassificationMetrics.Compute([0, 0, 1], probabilities, 4);

        Assert.Equal(2.0 / 3, metrics.Metrics["f1_macro"].Value!.Value, Tolerance);
        Assert.Equal(0.75, metrics.Metrics["balanced_accuracy"].Value!.Value, Tolerance);
    }

    [Fact]
    public void TheFlatValuesAreWhatACellsMetricsJsonHoldsUnderTest()
    {
        var metrics = ClassificationMetrics.Compute([1, 1], Binary(0.3, 0.7), 2);
        var path = Path.Combine(Path.GetTempPath(), "reproduce-tests", Guid.NewGuid().ToString("N") + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var cell = new CellResult("brain", "byol", 0, 1.0, 2, 10, [5, 5], 3, 0.9, metrics.FlatValues());

        File.WriteAllText(path, CellResultJson.ToText(cell));
        var read = CellResultJson.Read(path);
        File.Delete(path);

        Assert.Equal(metrics.FlatValues(), read.Test);
        Assert.Null(read.Test["auc"]);
    }

    [Fact]
    public void InputsThatCannotBeMetricsAreArgumentErrors()
    {
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([], [], 2));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0, 1], Binary(0.5), 2));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0], [[0.5, 0.25, 0.25]], 2));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0], [[double.NaN, 1.0]], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.Compute([0], Binary(0.5), 2, positiveClass: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.Compute([2], Binary(0.5), 2));
    }
}
