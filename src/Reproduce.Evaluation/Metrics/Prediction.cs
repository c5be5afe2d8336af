namespace Reproduce.Evaluation.Metrics;

/// <summary>One test image's label and the model's class probabilities (softmax), indexed by class.</summary>
public sealed record Prediction(string Id, int Label, IReadOnlyList<double> Probabilities);
