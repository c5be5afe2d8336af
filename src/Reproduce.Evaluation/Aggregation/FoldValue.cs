namespace Reproduce.Evaluation.Aggregation;

/// <summary>
/// One line of an aggregate cell's <c>folds.csv</c>: a table metric of one finetune cell (task × init × fold ×
/// fraction) with the cell's training-set size; <see cref="Value"/> is null where the metric is not defined.
/// </summary>
public sealed record FoldValue(string Task, string Init, int Fold, double Fraction, int TrainImages, string Metric, double? Value);
