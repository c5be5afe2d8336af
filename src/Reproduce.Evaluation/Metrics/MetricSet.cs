namespace Reproduce.Evaluation.Metrics;

/// <summary>
/// The test-set metrics of one set of predictions: each metric by its flat name (<see cref="MetricNames"/>,
/// in the order they are reported), defined or with the reason it is not, and the confusion matrix.
/// <paramref name="PositiveClass"/> is the class binary precision, recall, F1 and AUC are about (null
/// for multiclass tasks).
/// </summary>
public sealed record MetricSet(int Classes, int? PositiveClass, IReadOnlyDictionary<string, MetricValue> Metrics, ConfusionMatrix Confusion)
{
    /// <summary>The values by flat name, null where not defined: what goes into <c>CellResult.Test</c>.</summary>
    public IReadOnlyDictionary<string, double?> FlatValues()
    {
        var values = new OrderedDictionary<string, double?>();
        foreach (var (name, metric) in Metrics)
        {
            values.Add(name, metric.Value);
        }

        return values;
    }

    /// <summary>The reasons of the metrics that are not defined, by flat name; empty when all are defined.</summary>
    public IReadOnlyDictionary<string, string> NotDefined()
    {
        var reasons = new OrderedDictionary<string, string>();
        foreach (var (name, metric) in Metrics)
        {
            if (metric.NotDefinedReason is { } reason)
            {
                reasons.Add(name, reason);
            }
        }

        return reasons;
    }
}
