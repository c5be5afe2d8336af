using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Tests.Aggregation;

/// <summary>Hand-made finetune results and summary rows.</summary>
internal static class Results
{
    public static CellResult Cell(string init, int fold, double fraction, double? auc, double? f1 = 0.7, double? accuracy = 0.75, string task = "covid", int classes = 2, int[]? perClass = null)
    {
        perClass ??= classes == 2 ? [40, 60] : [.. Enumerable.Repeat(10, classes)];
        var test = new Dictionary<string, double?> { ["auc"] = auc, ["accuracy"] = accuracy, ["f1_micro"] = accuracy };
        if (classes == 2)
        {
            test["f1"] = f1;
            test["f1_macro"] = -1;
        }
        else
        {
            test["f1_macro"] = f1;
        }

        return new CellResult(task, init, fold, fraction, classes, perClass.Sum(), perClass, BestEpoch: 3, ValidationAccuracy: 0.7, test);
    }

    public static SummaryRow Row(string task, string init, double fraction, string metric, double mean, int n = 5, double trainImages = 100, int minClassImages = 50) =>
        new(task, init, fraction, metric, n, mean, 0.01, mean - 0.02, mean + 0.02, trainImages, minClassImages, trainImages / 2);
}
