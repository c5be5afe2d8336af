using Reproduce.Data.Dicom;

namespace Reproduce.Data.Tests.Dicom;

/// <summary>
/// CT_small converted by dcmtk (an independent writer) into every supported transfer syntax and layout reads
/// back to the same stored values and attributes. Skipped, with the reason, where dcmtk is not installed.
/// </summary>
public class DcmtkConversionTests
{
    [DcmtkFact]
    public void ExplicitLittleEndian() => ConvertAndCompare("dcmconv", ["+te"], TransferSyntax.ExplicitVrLittleEndianUid);

    [DcmtkFact]
    public void ImplicitLittleEndian() => ConvertAndCompare("dcmconv", ["+ti"], TransferSyntax.ImplicitVrLittleEndianUid);

    [DcmtkFact]
    public void ExplicitBigEndian() => ConvertAndCompare("dcmconv", ["+tb"], TransferSyntax.ExplicitVrBigEndianUid);

    [DcmtkFact]
    public void DeflatedExplicitLittleEndian() => ConvertAndCompare("dcmconv", ["+td"], TransferSyntax.DeflatedExplicitVrLittleEndianUid);

    [DcmtkFact]
    public void RleOneFragmentPerFrameWithOffsetTable() => ConvertAndCompare("dcmcrle", [], TransferSyntax.RleLosslessUid, rleLayout: (1, 1));

    [DcmtkFact]
    public void RleSeveralFragmentsPerFrameWithEmptyOffsetTable() =>
        ConvertAndCompare("dcmcrle", ["+fs", "4", "-ot"], TransferSyntax.RleLosslessUid, rleLayout: (6, 0));

    [DcmtkFact]
    public void UndefinedLengthSequencesAndItems() => ConvertAndCompare("dcmconv", ["+te", "-e"], TransferSyntax.ExplicitVrLittleEndianUid);

    [DcmtkFact]
    public void BareImplicitDataSetWithoutPreambleOrMetaGroup()
    {
        var dataset = ConvertAndCompare("dcmconv", ["+ti", "-F"], TransferSyntax.ImplicitVrLittleEndianUid);

        Assert.Null(dataset.FileMeta);
    }

    [DcmtkFact]
    public void BareBigEndianDataSetWithoutPreambleOrMetaGroup()
    {
        var dataset = ConvertAndCompare("dcmconv", ["+tb", "-F"], TransferSyntax.ExplicitVrBigEndianUid);

        Assert.Null(dataset.FileMeta);
    }

    private static DicomDataset ConvertAndCompare(string tool, string[] options, string expectedSyntax, (int Fragments, int OffsetTable)? rleLayout = null)
    {
        using var folder = new TempFolder();
        var output = folder.Combine("converted.dcm");
        Dcmtk.Run(tool, [.. options, Fixtures.File("dicom", "CT_small.dcm"), output]);

        var original = DicomImage.From(DicomFile.Read(Fixtures.File("dicom", "CT_small.dcm")));
        var dataset = DicomFile.Read(output);
        var image = DicomImage.From(dataset);

        Assert.Equal(expectedSyntax, dataset.TransferSyntax.Uid);
        Assert.Equal(original.StoredValues(), image.StoredValues());
        Assert.Equal(original.HounsfieldUnits(), image.HounsfieldUnits());
        Assert.Equal(
            (original.Rows, original.Columns, original.BitsStored, original.PixelRepresentation, original.RescaleSlope, original.RescaleIntercept, original.PixelPaddingValue),
            (image.Rows, image.Columns, image.BitsStored, image.PixelRepresentation, image.RescaleSlope, image.RescaleIntercept, image.PixelPaddingValue));
        Assert.Equal(SliceAttributes.From(original.Dataset), SliceAttributes.From(dataset), SliceComparer.Instance);
        Assert.Equal(["ABCD1234", "1234ABCD"], dataset.GetSequence(new DicomTag(0x0010, 0x1002)).Select(item => item.GetString(DicomTags.PatientId)));
        if (rleLayout is { } layout)
        {
            // dcmcrle +fs 4 cuts CT_small's 23 kB RLE frame into 4 kB fragments; the frame must span them all.
            var encapsulated = dataset.Find(DicomTags.PixelData)!.Encapsulated!;
            Assert.Equal(layout, (encapsulated.Fragments.Count, encapsulated.OffsetTable.Count));
        }

        return dataset;
    }

    /// <summary>Compares slice attributes by value, lists included (records compare lists by reference).</summary>
    private sealed class SliceComparer : IEqualityComparer<SliceAttributes>
    {
        public static readonly SliceComparer Instance = new();

        public bool Equals(SliceAttributes? x, SliceAttributes? y) =>
            x is not null && y is not null
            && x with { ImagePositionPatient = [], ImageOrientationPatient = [], PixelSpacing = [] } == y with { ImagePositionPatient = [], ImageOrientationPatient = [], PixelSpacing = [] }
            && x.ImagePositionPatient.SequenceEqual(y.ImagePositionPatient)
            && x.ImageOrientationPatient.SequenceEqual(y.ImageOrientationPatient)
            && x.PixelSpacing.SequenceEqual(y.PixelSpacing);

        public int GetHashCode(SliceAttributes obj) => 0;
    }
}
