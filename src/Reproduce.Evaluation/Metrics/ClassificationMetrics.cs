namespace Reproduce.Evaluation.Metrics;

/// <summary>
/// The test-set metrics of PROTOCOL.md §7 as the authors computed them with scikit-learn, from labels
/// and softmax probabilities. The prediction is the argmax (ties to the lowest class, like
/// <c>np.argmax</c>). Binary tasks (K = 2): accuracy, balanced accuracy, AUC of the positive class's
/// probability, F1, precision and recall of the positive class (DESIGN.md §7: the disease, label 1 by
/// default), macro and micro F1. Multiclass tasks: accuracy, balanced accuracy, macro one-vs-rest AUC,
/// macro and micro F1. Where sklearn returns a number this returns the same number; where sklearn
/// raises, the metric is not defined and carries the reason.
/// </summary>
public static class ClassificationMetrics
{
    public const int DefaultPositiveClass = 1;

    public static MetricSet Compute(Predictions predictions, int positiveClass = DefaultPositiveClass) =>
        Compute(predictions.Labels, predictions.Probabilities, predictions.Classes, positiveClass);

    /// <param name="labels">the true class of each image, in 0..<paramref name="classes"/>−1</param>
    /// <param name="probabilities">each image's class probabilities, <paramref name="classes"/> per image</param>
    /// <param name="classes">K, the task's number of classes (at least 2)</param>
    /// <param name="positiveClass">the positive class of a binary task; ignored when K &gt; 2</param>
    public static MetricSet Compute(IReadOnlyList<int> labels, IReadOnlyList<IReadOnlyList<double>> probabilities, int classes, int positiveClass = DefaultPositiveClass)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        if (labels.Count == 0 || labels.Count != probabilities.Count)
        {
            throw new ArgumentException($"{labels.Count} labels and {probabilities.Count} rows of probabilities; metrics need the same number, at least one", nameof(probabilities));
        }

        var binary = classes == 2;
        if (binary && (uint)positiveClass >= 2u)
        {
            throw new ArgumentOutOfRangeException(nameof(positiveClass), positiveClass, "the positive class of a binary task is 0 or 1");
        }

        var predicted = new int[labels.Count];
        for (var i = 0; i < predicted.Length; i++)
        {
            if (probabilities[i].Count != classes)
            {
                throw new ArgumentException($"image {i} has {probabilities[i].Count} probabilities, not {classes}", nameof(probabilities));
            }

            if (probabilities[i].Any(p => !double.IsFinite(p)))
            {
                throw new ArgumentException($"image {i} has a probability that is not finite", nameof(probabilities));
            }

            predicted[i] = Argmax(probabilities[i]);
        }

        var confusion = ConfusionMatrix.From(labels, predicted, classes);
        var metrics = new OrderedDictionary<string, MetricValue>
        {
            [MetricNames.Accuracy] = MetricValue.Of(ConfusionScores.Accuracy(confusion)),
            [MetricNames.BalancedAccuracy] = MetricValue.Of(ConfusionScores.BalancedAccuracy(confusion)),
            [MetricNames.Auc] = binary
                ? RocAuc.Binary(labels, [.. probabilities.Select(p => p[positiveClass])], positiveClass)
                : RocAuc.OneVsRestMacro(labels, probabilities, classes),
        };
        if (binary)
        {
            metrics[MetricNames.F1] = MetricValue.Of(ConfusionScores.F1(confusion, positiveClass));
        }

        metrics[MetricNames.F1Macro] = MetricValue.Of(ConfusionScores.F1Macro(confusion));
        metrics[MetricNames.F1Micro] = MetricValue.Of(ConfusionScores.F1Micro(confusion));
        if (binary)
        {
            metrics[MetricNames.Precision] = MetricValue.Of(ConfusionScores.Precision(confusion, positiveClass));
            metrics[MetricNames.Recall] = MetricValue.Of(ConfusionScores.Recall(confusion, positiveClass));
        }

        return new MetricSet(classes, binary ? positiveClass : null, metrics, confusion);
    }

    /// <summary>The predicted class: the index of the largest probability, the lowest index among equals (<c>np.argmax</c>).</summary>
    public static int Argmax(IReadOnlyList<double> probabilities)
    {
        var best = 0;
        for (var k = 1; k < probabilities.Count; k++)
        {
            if (probabilities[k] > probabilities[best])
            {
                best = k;
            }
        }

        return best;
    }
}
