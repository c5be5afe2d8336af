using Reproduce.Data.Splits;

namespace Reproduce.Data.Store;

/// <summary>
/// One image of a tensor store: its position (the image's slot in <c>images.u8</c>), a stable id,
/// its label (−1 for unlabelled pre-training data), its official split and the raw file it came from.
/// </summary>
public sealed record StoreItem(int Position, string Id, int Label, OfficialSplit Split, string Source)
{
    public const int Unlabelled = -1;

    public SplitItem ToSplitItem() => new(Position, Label, Split);
}

/// <summary>A raw item that did not make it into the store, and why (DESIGN.md §6: never dropped silently).</summary>
public sealed record SkippedItem(string Source, string Reason);
