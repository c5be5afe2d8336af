using Reproduce.Core.Manifests;
using Reproduce.Evaluation.Metrics;

namespace Reproduce.Evaluation.Aggregation;

/// <summary>
/// The one place where a table metric (DESIGN.md §7 "Metrics in tables") meets the finetune cell's test metrics:
/// <c>auc</c> reads <c>auc</c>; <c>f1</c> reads the positive class's <c>f1</c> on a binary task (2 classes) and
/// <c>f1_macro</c> on a multiclass one; <c>accuracy</c> reads <c>accuracy</c>.
/// </summary>
public static class TableMetrics
{
    public const string Auc = MetricNames.Auc;

    public const string F1 = MetricNames.F1;

    public const string Accuracy = MetricNames.Accuracy;

    /// <summary>The table metrics a manifest may list (Core validates <c>evaluation.metrics</c> against the same list).</summary>
    public static readonly IReadOnlyList<string> All = Identifiers.Metrics;

    /// <summary>The name in a cell's <c>test</c> metrics that <paramref name="metric"/> reads on a task of <paramref name="classes"/> classes.</summary>
    public static string SourceOf(string metric, int classes) => metric switch
    {
        Auc => MetricNames.Auc,
        F1 => classes == 2 ? MetricNames.F1 : MetricNames.F1Macro,
        Accuracy => MetricNames.Accuracy,
        _ => throw new ArgumentException($"'{metric}' is not a table metric ({string.Join(", ", All)})", nameof(metric)),
    };

    /// <summary>
    /// The cell's value of <paramref name="metric"/>, or null where it is not defined for the cell (null in its
    /// metrics.json; a non-finite number counts as undefined too). A name the cell lacks altogether is an error: the
    /// finetune stage writes every metric, defined or not.
    /// </summary>
    public static double? ValueOf(CellResult cell, string metric)
    {
        var source = SourceOf(metric, cell.Classes);
        if (!cell.Test.TryGetValue(source, out var value))
        {
            throw new ArgumentException($"{Describe(cell)} has no test metric '{source}' (table metric '{metric}')", nameof(cell));
        }

        return value is { } defined && double.IsFinite(defined) ? defined : null;
    }

    /// <summary>The test metrics <paramref name="metrics"/> need that <paramref name="cell"/> does not hold.</summary>
    public static IReadOnlyList<string> MissingIn(CellResult cell, IEnumerable<string> metrics) =>
        [.. metrics.Select(m => SourceOf(m, cell.Classes)).Where(source => !cell.Test.ContainsKey(source)).Distinct()];

    internal static string Describe(CellResult cell) =>
        $"finetune cell task={cell.Task}, init={cell.Init}, fold={cell.Fold}, fraction={Core.Planning.ExperimentGraph.FormatFraction(cell.Fraction)}";
}
