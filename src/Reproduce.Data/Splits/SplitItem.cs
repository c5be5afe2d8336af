namespace Reproduce.Data.Splits;

/// <summary>One labelled image as the split logic sees it: its position in the store, its label and official split.</summary>
public readonly record struct SplitItem(int Index, int Label, OfficialSplit Official);
