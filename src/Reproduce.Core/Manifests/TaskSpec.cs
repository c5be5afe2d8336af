namespace Reproduce.Core.Manifests;

/// <summary>A downstream classification task and its input pipeline.</summary>
public sealed record TaskSpec
{
    public required string Id { get; init; }

    public required string Dataset { get; init; }

    public required int Classes { get; init; }

    /// <summary>The positive class of a binary task for F1 (DESIGN.md §7: the disease, label 1).</summary>
    public int? PositiveClass { get; init; }

    /// <summary><c>disease-positive</c>, or <c>authors</c> for the authors' COVID = 0 order.</summary>
    public required string LabelOrder { get; init; }

    /// <summary>How a training fraction picks its images: <c>random</c>, <c>first-n</c> or <c>stratified</c>.</summary>
    public required string Reduction { get; init; }

    public required IReadOnlyList<double> Mean { get; init; }

    public required IReadOnlyList<double> Std { get; init; }

    public required string Flip { get; init; }
}
