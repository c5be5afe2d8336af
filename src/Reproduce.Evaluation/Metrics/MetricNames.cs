namespace Reproduce.Evaluation.Metrics;

/// <summary>
/// The flat names of the test-set metrics: the keys of <c>reproduce metrics --json</c> and of
/// <c>CellResult.Test</c>. DESIGN.md §7 "Metrics in tables": AUC, F1 (binary F1 of the positive class
/// for binary tasks, macro F1 for multiclass ones) and accuracy.
/// </summary>
public static class MetricNames
{
    public const string Accuracy = "accuracy";
    public const string BalancedAccuracy = "balanced_accuracy";
    public const string Auc = "auc";

    /// <summary>Binary tasks only: F1 of the positive class.</summary>
    public const string F1 = "f1";
    public const string F1Macro = "f1_macro";
    public const string F1Micro = "f1_micro";

    /// <summary>Binary tasks only: precision of the positive class.</summary>
    public const string Precision = "precision";

    /// <summary>Binary tasks only: recall of the positive class.</summary>
    public const string Recall = "recall";
}
