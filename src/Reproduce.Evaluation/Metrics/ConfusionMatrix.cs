namespace Reproduce.Evaluation.Metrics;

/// <summary>
/// The K × K confusion matrix over all K classes of the task (scikit-learn's
/// <c>confusion_matrix(y_true, y_pred, labels=range(K))</c>): row = label, column = prediction.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] counts;

    private ConfusionMatrix(int[,] counts)
    {
        this.counts = counts;
    }

    public int Classes => counts.GetLength(0);

    /// <summary>The number of images with this label that were predicted as <paramref name="predicted"/>.</summary>
    public int this[int label, int predicted] => counts[label, predicted];

    public int Total { get; private init; }

    /// <summary>The number of correct predictions: the trace.</summary>
    public int Correct { get; private init; }

    public static ConfusionMatrix From(IReadOnlyList<int> labels, IReadOnlyList<int> predicted, int classes)
    {
        if (labels.Count != predicted.Count)
        {
            throw new ArgumentException($"{labels.Count} labels but {predicted.Count} predictions", nameof(predicted));
        }

        var counts = new int[classes, classes];
        var correct = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var (label, prediction) = (labels[i], predicted[i]);
            if ((uint)label >= (uint)classes || (uint)prediction >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), $"image {i}: label {label} or prediction {prediction} outside 0..{classes - 1}");
            }

            counts[label, prediction]++;
            correct += label == prediction ? 1 : 0;
        }

        return new ConfusionMatrix(counts) { Total = labels.Count, Correct = correct };
    }

    /// <summary>The number of images whose label is this class (the row sum; sklearn's support, "true_sum").</summary>
    public int LabelCount(int label)
    {
        var sum = 0;
        for (var predicted = 0; predicted < Classes; predicted++)
        {
            sum += counts[label, predicted];
        }

        return sum;
    }

    /// <summary>The number of images predicted as this class (the column sum; sklearn's "pred_sum").</summary>
    public int PredictedCount(int predicted)
    {
        var sum = 0;
        for (var label = 0; label < Classes; label++)
        {
            sum += counts[label, predicted];
        }

        return sum;
    }
}
