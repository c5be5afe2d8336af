namespace Reproduce.Data.Dicom;

/// <summary>
/// The attributes the LIDC pipeline uses to group files into series and order slices in space; null (or empty)
/// when a file lacks them, so the pipeline decides what a missing value means.
/// </summary>
public sealed record SliceAttributes(
    string? Modality,
    string? Manufacturer,
    string? StudyInstanceUid,
    string? SeriesInstanceUid,
    string? SopInstanceUid,
    int? InstanceNumber,
    IReadOnlyList<double> ImagePositionPatient,
    IReadOnlyList<double> ImageOrientationPatient,
    IReadOnlyList<double> PixelSpacing,
    double? SliceThickness,
    double? SliceLocation)
{
    public static SliceAttributes From(DicomDataset dataset) => new(
        dataset.GetString(DicomTags.Modality),
        dataset.GetString(DicomTags.Manufacturer),
        dataset.GetString(DicomTags.StudyInstanceUid),
        dataset.GetString(DicomTags.SeriesInstanceUid),
        dataset.GetString(DicomTags.SopInstanceUid),
        dataset.GetInt(DicomTags.InstanceNumber),
        dataset.GetDoubles(DicomTags.ImagePositionPatient),
        dataset.GetDoubles(DicomTags.ImageOrientationPatient),
        dataset.GetDoubles(DicomTags.PixelSpacing),
        dataset.GetDouble(DicomTags.SliceThickness),
        dataset.GetDouble(DicomTags.SliceLocation));
}
