using System.Collections.Frozen;

namespace Reproduce.Data.Dicom;

/// <summary>
/// The VRs of the attributes this project reads, for implicit-VR data (and explicit UN elements), which carry
/// no VR of their own. Everything else stays opaque bytes, which is all the pipeline needs (DATASETS.md §B2.4).
/// </summary>
internal static class ImplicitVrDictionary
{
    /// <summary>
    /// PixelPaddingValue and friends are US or SS depending on PixelRepresentation; readers of these tags
    /// interpret the two bytes themselves (<see cref="DicomImage"/>).
    /// </summary>
    public const string UsOrSs = "US or SS";

    private static readonly FrozenDictionary<DicomTag, string> Vrs = new Dictionary<DicomTag, string>
    {
        [DicomTags.SpecificCharacterSet] = "CS",
        [DicomTags.SopClassUid] = "UI",
        [DicomTags.SopInstanceUid] = "UI",
        [DicomTags.Modality] = "CS",
        [DicomTags.Manufacturer] = "LO",
        [DicomTags.PatientId] = "LO",
        [DicomTags.SliceThickness] = "DS",
        [DicomTags.StudyInstanceUid] = "UI",
        [DicomTags.SeriesInstanceUid] = "UI",
        [DicomTags.InstanceNumber] = "IS",
        [DicomTags.ImagePositionPatient] = "DS",
        [DicomTags.ImageOrientationPatient] = "DS",
        [DicomTags.SliceLocation] = "DS",
        [DicomTags.SamplesPerPixel] = "US",
        [DicomTags.PhotometricInterpretation] = "CS",
        [DicomTags.NumberOfFrames] = "IS",
        [DicomTags.Rows] = "US",
        [DicomTags.Columns] = "US",
        [DicomTags.PixelSpacing] = "DS",
        [DicomTags.BitsAllocated] = "US",
        [DicomTags.BitsStored] = "US",
        [DicomTags.HighBit] = "US",
        [DicomTags.PixelRepresentation] = "US",
        [DicomTags.SmallestImagePixelValue] = UsOrSs,
        [DicomTags.LargestImagePixelValue] = UsOrSs,
        [DicomTags.PixelPaddingValue] = UsOrSs,
        [DicomTags.WindowCenter] = "DS",
        [DicomTags.WindowWidth] = "DS",
        [DicomTags.RescaleIntercept] = "DS",
        [DicomTags.RescaleSlope] = "DS",
        [DicomTags.PixelData] = "OW",
    }.ToFrozenDictionary();

    public static string Lookup(DicomTag tag)
    {
        if (Vrs.TryGetValue(tag, out var vr))
        {
            return vr;
        }

        // Group length elements (gggg,0000) are UL in every group.
        return tag.Element == 0 && tag.Group != 0xFFFE ? "UL" : DicomVr.Unknown;
    }
}
