namespace Reproduce.Core.Manifests;

/// <summary>The evaluation protocol (DESIGN.md §7), the training fractions and the metrics shown.</summary>
public sealed record EvaluationSpec
{
    /// <summary><c>kfold</c> or <c>official-split</c>.</summary>
    public required string Protocol { get; init; }

    /// <summary>k for <c>kfold</c>; 1 for <c>official-split</c>.</summary>
    public required int Folds { get; init; }

    /// <summary>Fractions of the training set kept, each in (0, 1], in manifest order.</summary>
    public required IReadOnlyList<double> Fractions { get; init; }

    /// <summary>The validation share carved out of train where no official validation split exists (Brain).</summary>
    public required double ValidationFraction { get; init; }

    public required IReadOnlyList<string> Metrics { get; init; }

    /// <summary>
    /// How each init is evaluated, in order: always <c>finetune</c> (the study), and optionally <c>linear_probe</c> and
    /// <c>knn</c> on the frozen trunk (SSL papers' usual companions). Defaults to <c>[finetune]</c>.
    /// </summary>
    public IReadOnlyList<string> Protocols { get; init; } = [Identifiers.FinetuneProtocol];

    /// <summary>The kNN's neighbours k (InstDisc and solo-learn: 20).</summary>
    public int KnnNeighbours { get; init; } = 20;

    /// <summary>The kNN's temperature T of the exp(s / T) votes (InstDisc and solo-learn: 0.07).</summary>
    public double KnnTemperature { get; init; } = 0.07;
}
