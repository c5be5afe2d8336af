namespace Reproduce.Data.Splits;

/// <summary>The split a dataset's publisher assigned to an image.</summary>
public enum OfficialSplit
{
    Train,
    Validation,
    Test,
}
