namespace Reproduce.Evaluation.Metrics;

/// <summary>
/// The area under the ROC curve, exact: the Mann–Whitney U statistic with tied scores counted
/// one half (midranks), divided by n₊·n₋. This is the area scikit-learn's <c>roc_auc_score</c>
/// integrates with the trapezoid rule over the curve's distinct thresholds (the same number, here
/// computed in integers and divided once). Where sklearn raises, the AUC is not defined.
/// </summary>
public static class RocAuc
{
    /// <summary>
    /// <c>roc_auc_score(labels == positive, scores)</c>: the AUC of one class's probability for
    /// separating that class from the others. Not defined when the labels hold one class only (sklearn:
    /// "Only one class present in y_true").
    /// </summary>
    public static MetricValue Binary(IReadOnlyList<int> labels, IReadOnlyList<double> scores, int positive)
    {
        var isPositive = labels.Select(label => label == positive).ToArray();
        var positives = isPositive.Count(p => p);
        if (positives == 0 || positives == isPositive.Length)
        {
            var which = positives == 0 ? "no label is" : "every label is";
            return MetricValue.NotDefined($"{which} the positive class {positive}; AUC needs both classes in the labels");
        }

        return MetricValue.Of(MannWhitney(isPositive, scores));
    }

    /// <summary>
    /// <c>roc_auc_score(labels, probabilities, average='macro', multi_class='ovr')</c>: the unweighted
    /// mean over the classes of each class's one-vs-rest AUC (in NumPy's order of addition). Not defined
    /// when a class is absent from the labels (sklearn: "Number of classes in y_true not equal to the
    /// number of columns in 'y_score'"). Unlike sklearn, rows are not required to sum to 1 within
    /// <c>np.allclose</c>'s 1e-5; PredictionsCsv checks them to 1e-3.
    /// </summary>
    public static MetricValue OneVsRestMacro(IReadOnlyList<int> labels, IReadOnlyList<IReadOnlyList<double>> probabilities, int classes)
    {
        var absent = Enumerable.Range(0, classes).Except(labels).ToList();
        if (absent.Count > 0)
        {
            var which = absent.Count == 1 ? $"class {absent[0]} is" : $"classes {string.Join(", ", absent)} are";
            return MetricValue.NotDefined($"{which} absent from the labels; one-vs-rest AUC needs each of the {classes} classes");
        }

        var perClass = new double[classes];
        for (var k = 0; k < classes; k++)
        {
            var column = k;
            perClass[k] = MannWhitney(labels.Select(label => label == column).ToArray(), probabilities.Select(row => row[column]).ToArray());
        }

        return MetricValue.Of(NumpySum.Mean(perClass));
    }

    /// <summary>
    /// U / (n₊·n₋), where 2U = Σ over groups of equal score of 2·(positives in the group)·(negatives
    /// scored lower) + (positives in the group)·(negatives in the group); exact in integers until the
    /// one division. Both classes must be present.
    /// </summary>
    private static double MannWhitney(bool[] isPositive, IReadOnlyList<double> scores)
    {
        if (scores.Count != isPositive.Length)
        {
            throw new ArgumentException($"{isPositive.Length} labels but {scores.Count} scores", nameof(scores));
        }

        var order = Enumerable.Range(0, isPositive.Length).ToArray();
        var keys = scores.ToArray();
        if (keys.Any(double.IsNaN))
        {
            throw new ArgumentException("a score is NaN", nameof(scores));
        }

        Array.Sort(keys, order);
        long twiceU = 0, negativesBelow = 0, positives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            long groupPositives = 0, groupNegatives = 0;
            while (end < order.Length && keys[end] == keys[start])
            {
                if (isPositive[order[end]])
                {
                    groupPositives++;
                }
                else
                {
                    groupNegatives++;
                }

                end++;
            }

            twiceU += (2 * groupPositives * negativesBelow) + (groupPositives * groupNegatives);
            negativesBelow += groupNegatives;
            positives += groupPositives;
            start = end;
        }

        return twiceU / (2.0 * positives * negativesBelow);
    }
}
