namespace Reproduce.Evaluation.Aggregation;

/// <summary>
/// One finetune cell's result as the aggregate stage reads it from the cell's <c>metrics.json</c>
/// (written by the finetune stage; schema in <see cref="CellResultJson"/>). <paramref name="Test"/> holds the
/// test-set metrics by their flat names (<c>accuracy</c>, <c>auc</c>, <c>f1</c>, <c>f1_macro</c>, …); a metric
/// that is not defined for this cell (e.g. AUC with one class absent from the test labels) is null.
/// </summary>
public sealed record CellResult(
    string Task,
    string Init,
    int Fold,
    double Fraction,
    int Classes,
    int TrainImages,
    IReadOnlyList<int> TrainImagesPerClass,
    int BestEpoch,
    double ValidationAccuracy,
    IReadOnlyDictionary<string, double?> Test);
