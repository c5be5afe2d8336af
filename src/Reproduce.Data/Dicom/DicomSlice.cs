namespace Reproduce.Data.Dicom;

/// <summary>
/// One single-frame grayscale image as <see cref="DicomSliceWriter"/> writes it: a CT slice (the LIDC
/// stand-in's content) or a minimal CR radiograph (the non-CT series a LIDC reader must drop). Pixels are
/// stored values, row-major; the writer checks them against <see cref="BitsStored"/> and <see cref="Signed"/>.
/// </summary>
public sealed record DicomSlice
{
    public const string ComputedTomography = "CT";
    public const string ComputedRadiography = "CR";

    /// <summary><see cref="ComputedTomography"/> or <see cref="ComputedRadiography"/>; it decides the SOP class.</summary>
    public required string Modality { get; init; }

    public required string PatientId { get; init; }

    public required string StudyInstanceUid { get; init; }

    public required string SeriesInstanceUid { get; init; }

    public required string SopInstanceUid { get; init; }

    public string Manufacturer { get; init; } = "";

    /// <summary>YYYYMMDD, or empty (the attribute is type 2: present, possibly empty).</summary>
    public string StudyDate { get; init; } = "";

    public int SeriesNumber { get; init; } = 1;

    public int InstanceNumber { get; init; } = 1;

    /// <summary>Where the slice lies; required for CT (its IOD needs the plane), absent for CR (a projection).</summary>
    public SliceGeometry? Geometry { get; init; }

    public required int Rows { get; init; }

    public required int Columns { get; init; }

    /// <summary>16, or 12 as older and unsigned CT scanners store it; BitsAllocated is always 16.</summary>
    public int BitsStored { get; init; } = 16;

    /// <summary>PixelRepresentation 1 (two's complement) when true, 0 (unsigned) otherwise.</summary>
    public bool Signed { get; init; }

    /// <summary>Written for CT only (its image module requires it): HU = stored × slope + intercept.</summary>
    public double RescaleIntercept { get; init; }

    public double RescaleSlope { get; init; } = 1;

    /// <summary>PixelPaddingValue, written as SS when <see cref="Signed"/> and as US otherwise; null writes none.</summary>
    public int? PixelPaddingValue { get; init; }

    /// <summary>Rows × Columns stored values, row-major.</summary>
    public required ReadOnlyMemory<int> StoredValues { get; init; }

    /// <summary>Explicit VR little endian (the default, what TCIA serves) or implicit VR little endian.</summary>
    public TransferSyntax TransferSyntax { get; init; } = TransferSyntax.ExplicitVrLittleEndian;
}
