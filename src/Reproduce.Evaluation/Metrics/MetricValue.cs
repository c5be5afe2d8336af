namespace Reproduce.Evaluation.Metrics;

/// <summary>
/// A metric's value, or why it is not defined (e.g. AUC when the labels hold one class only, where
/// scikit-learn raises). Exactly one of <see cref="Value"/> and <see cref="NotDefinedReason"/> is set.
/// </summary>
public sealed record MetricValue
{
    private MetricValue(double? value, string? notDefinedReason)
    {
        Value = value;
        NotDefinedReason = notDefinedReason;
    }

    public double? Value { get; }

    public string? NotDefinedReason { get; }

    public bool IsDefined => Value is not null;

    public static MetricValue Of(double value) =>
        double.IsFinite(value) ? new MetricValue(value, null) : throw new ArgumentOutOfRangeException(nameof(value), value, "a defined metric is finite");

    public static MetricValue NotDefined(string reason) => new(null, reason);
}
