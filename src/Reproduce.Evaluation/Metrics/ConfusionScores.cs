namespace Reproduce.Evaluation.Metrics;

/// <summary>
/// The scores scikit-learn 1.2 derives from labels and argmax predictions, computed from the
/// confusion matrix with sklearn's arithmetic (same divisions, same order of addition), so they agree
/// to the last bit. Every score here is defined for at least one image: sklearn's
/// <c>zero_division="warn"</c> default makes an empty ratio 0, and so does this type.
/// </summary>
public static class ConfusionScores
{
    /// <summary><c>accuracy_score(y_true, y_pred)</c>: correct / N.</summary>
    public static double Accuracy(ConfusionMatrix confusion) => (double)confusion.Correct / confusion.Total;

    /// <summary>
    /// <c>balanced_accuracy_score(y_true, y_pred)</c>: the mean recall over the classes present in the
    /// labels; a class that is only predicted has no recall (sklearn warns "y_pred contains classes not
    /// in y_true" and drops it), and a class absent from both is not among sklearn's labels at all.
    /// </summary>
    public static double BalancedAccuracy(ConfusionMatrix confusion)
    {
        var recalls = new List<double>();
        for (var k = 0; k < confusion.Classes; k++)
        {
            if (confusion.LabelCount(k) > 0)
            {
                recalls.Add((double)confusion[k, k] / confusion.LabelCount(k));
            }
        }

        return NumpySum.Mean(recalls.ToArray());
    }

    /// <summary><c>precision_score(y_true, y_pred, pos_label=positive)</c>: TP / (TP + FP), 0 when nothing is predicted positive.</summary>
    public static double Precision(ConfusionMatrix confusion, int positive) =>
        Divide(confusion[positive, positive], confusion.PredictedCount(positive));

    /// <summary><c>recall_score(y_true, y_pred, pos_label=positive)</c>: TP / (TP + FN), 0 when no label is positive.</summary>
    public static double Recall(ConfusionMatrix confusion, int positive) =>
        Divide(confusion[positive, positive], confusion.LabelCount(positive));

    /// <summary>
    /// <c>f1_score(y_true, y_pred, pos_label=positive)</c> (<c>average='binary'</c>): 2·P·R / (P + R)
    /// from the precision and recall above, 0 when both are 0.
    /// </summary>
    public static double F1(ConfusionMatrix confusion, int positive) =>
        F1(Precision(confusion, positive), Recall(confusion, positive));

    /// <summary>
    /// <c>f1_score(y_true, y_pred, average='macro')</c>: the mean per-class F1 over sklearn's default
    /// labels, the union of the classes in the labels and in the predictions (a class absent from both
    /// does not count); a class never predicted, or never true, has F1 0 (<c>zero_division</c>).
    /// </summary>
    public static double F1Macro(ConfusionMatrix confusion)
    {
        var scores = new List<double>();
        for (var k = 0; k < confusion.Classes; k++)
        {
            if (confusion.LabelCount(k) > 0 || confusion.PredictedCount(k) > 0)
            {
                scores.Add(F1(confusion, k));
            }
        }

        return NumpySum.Mean(scores.ToArray());
    }

    /// <summary>
    /// <c>f1_score(y_true, y_pred, average='micro')</c>: TP, FP and FN summed over the classes first;
    /// for single-label classification P = R = accuracy, and F1 is 2·A·A / (A + A), which sklearn
    /// evaluates as written (it may differ from the accuracy in the last bit).
    /// </summary>
    public static double F1Micro(ConfusionMatrix confusion)
    {
        var ratio = Divide(confusion.Correct, confusion.Total);
        return F1(ratio, ratio);
    }

    /// <summary>sklearn's <c>_prf_divide</c>: a zero denominator gives 0.</summary>
    private static double Divide(int numerator, int denominator) =>
        denominator == 0 ? 0.0 : (double)numerator / denominator;

    /// <summary>sklearn's F-beta for beta = 1: <c>(1 + 1) * precision * recall / denom</c>, denom = P + R or 1 when that is 0.</summary>
    private static double F1(double precision, double recall)
    {
        var denominator = precision + recall;
        return 2.0 * precision * recall / (denominator == 0.0 ? 1.0 : denominator);
    }
}
