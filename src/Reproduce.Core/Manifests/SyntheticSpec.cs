namespace Reproduce.Core.Manifests;

/// <summary>
/// Sizes of a synthetic stand-in: image side in pixels, and either a series count with slices per
/// series (LIDC-like) or image counts per official split (the downstream datasets).
/// </summary>
public sealed record SyntheticSpec
{
    public required int Size { get; init; }

    public int? Series { get; init; }

    public int? SlicesPerSeries { get; init; }

    public int? Train { get; init; }

    public int? Validation { get; init; }

    public int? Test { get; init; }
}
