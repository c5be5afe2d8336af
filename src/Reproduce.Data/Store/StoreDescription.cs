using System.Text.Json.Nodes;

namespace Reproduce.Data.Store;

/// <summary>
/// <c>store.json</c>: what a tensor store holds. Images are <see cref="Count"/> × <see cref="Height"/>
/// × <see cref="Width"/> uint8, C order, one channel, in <c>images.u8</c> (memory-mappable, no header).
/// </summary>
public sealed record StoreDescription
{
    public int Format { get; init; } = StoreFiles.Format;

    public required string Dataset { get; init; }

    public required int Count { get; init; }

    public required int Height { get; init; }

    public required int Width { get; init; }

    /// <summary>Class names by label (empty for unlabelled data).</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>The preprocessing parameters the store was built with.</summary>
    public required JsonObject Recipe { get; init; }

    /// <summary>Images per official split (train, validation, test).</summary>
    public required IReadOnlyDictionary<string, int> Splits { get; init; }

    public required int Skipped { get; init; }

    /// <summary>SHA-256 of <c>images.u8</c>: two stores with the same digest and index hold the same data.</summary>
    public required string ImagesSha256 { get; init; }
}
