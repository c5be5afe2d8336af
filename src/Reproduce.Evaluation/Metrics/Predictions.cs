namespace Reproduce.Evaluation.Metrics;

/// <summary>
/// A model's per-image predictions on a test set over <paramref name="Classes"/> classes: what the
/// finetune stage writes per cell (<see cref="PredictionsCsv"/>) and <c>reproduce metrics</c> reads.
/// </summary>
public sealed record Predictions(int Classes, IReadOnlyList<Prediction> Rows)
{
    public IReadOnlyList<int> Labels => [.. Rows.Select(r => r.Label)];

    public IReadOnlyList<IReadOnlyList<double>> Probabilities => [.. Rows.Select(r => r.Probabilities)];
}
