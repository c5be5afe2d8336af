namespace Reproduce.Data.Splits;

/// <summary>The store indices a fine-tuning cell trains on, selects its model on, and is tested on.</summary>
public sealed record FoldSets(IReadOnlyList<int> Train, IReadOnlyList<int> Validation, IReadOnlyList<int> Test);
