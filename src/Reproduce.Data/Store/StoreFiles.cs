using Reproduce.Data.Splits;

namespace Reproduce.Data.Store;

/// <summary>The file names of a tensor store and the split names its index uses.</summary>
internal static class StoreFiles
{
    public const string Images = "images.u8";
    public const string Index = "index.csv";
    public const string Skipped = "skipped.csv";
    public const string Description = "store.json";

    /// <summary>Bumped when the layout changes; a reader refuses other versions.</summary>
    public const int Format = 1;

    public static string SplitName(OfficialSplit split) => split switch
    {
        OfficialSplit.Train => "train",
        OfficialSplit.Validation => "validation",
        OfficialSplit.Test => "test",
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, null),
    };

    public static OfficialSplit? ParseSplit(string name) => name switch
    {
        "train" => OfficialSplit.Train,
        "validation" => OfficialSplit.Validation,
        "test" => OfficialSplit.Test,
        _ => null,
    };
}
