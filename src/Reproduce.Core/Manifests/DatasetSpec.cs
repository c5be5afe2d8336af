namespace Reproduce.Core.Manifests;

/// <summary>
/// Where a dataset's raw files come from: what its download cell reads. Which fields apply depends on the
/// dataset and its source (validated by the loader): <see cref="Collection"/> for NBIA,
/// <see cref="Version"/> for a published version (NBIA series list, git revision, MedMNIST v2/v3),
/// <see cref="ImageSize"/> for MedMNIST, <see cref="Path"/> for a local folder or archive, and
/// <see cref="Synthetic"/> for <c>source: synthetic</c>.
/// </summary>
public record DatasetSource
{
    public required string Id { get; init; }

    public required string Source { get; init; }

    public string? Url { get; init; }

    public string? Collection { get; init; }

    public string? Version { get; init; }

    public int? ImageSize { get; init; }

    public ConfiguredPath? Path { get; init; }

    public SyntheticSpec? Synthetic { get; init; }

    public bool IsSynthetic => Source == Identifiers.Synthetic;
}

/// <summary>A dataset of a manifest: where it comes from and how it is preprocessed.</summary>
public sealed record DatasetSpec : DatasetSource
{
    public required PreprocessSpec Preprocess { get; init; }
}
