namespace Reproduce.Data.Dicom;

/// <summary>How the elements of a data set are written: with or without VRs, and in which byte order.</summary>
public readonly record struct DatasetEncoding(bool ExplicitVr, bool BigEndian)
{
    public static DatasetEncoding ImplicitLittleEndian => new(false, false);

    public static DatasetEncoding ExplicitLittleEndian => new(true, false);

    public static DatasetEncoding ExplicitBigEndian => new(true, true);

    public override string ToString() => $"{(ExplicitVr ? "explicit" : "implicit")} VR {(BigEndian ? "big" : "little")} endian";
}
