namespace Reproduce.Core.Manifests;

/// <summary>
/// The preprocessing recipe of a dataset: <c>authors</c> (HU, padding to −1024, per-slice min–max
/// to 8 bit), <c>window</c> (HU window <see cref="WindowLevel"/>/<see cref="WindowWidth"/>) or
/// <c>gray</c> (decode to 8-bit gray, for datasets that are images already); then a square resize.
/// </summary>
public sealed record PreprocessSpec
{
    public required string Recipe { get; init; }

    public required int Size { get; init; }

    public double? WindowLevel { get; init; }

    public double? WindowWidth { get; init; }
}
