using Reproduce.Data.Dicom;

namespace Reproduce.Data.Tests.Dicom;

/// <summary>Sequences and items of defined and undefined length, nested, and the UN / implicit-LE quirk (DATASETS.md §B2.5, §B2.7).</summary>
public class DicomSequenceTests
{
    private static readonly DicomTag Outer = new(0x0008, 0x1115);
    private static readonly DicomTag Inner = new(0x0008, 0x1140);
    private static readonly DicomTag ReferencedUid = new(0x0008, 0x1155);

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void NestedSequencesOfEitherLengthFormAreParsedAndSkippedExactly(bool definedLength, bool definedItems)
    {
        foreach (var encoding in new[] { DatasetEncoding.ExplicitLittleEndian, DatasetEncoding.ExplicitBigEndian })
        {
            var innerItem = new DicomTestWriter(encoding).Text(0x0008, 0x1155, "UI", "1.2.3").ToDataset();
            var outerItem = new DicomTestWriter(encoding)
                .Text(0x0008, 0x0060, "CS", "SEG")
                .Sequence(0x0008, 0x1140, definedLength, definedItems, innerItem, innerItem)
                .ToDataset();
            var emptyItem = Array.Empty<byte>();
            var bytes = new DicomTestWriter(encoding)
                .Text(0x0008, 0x0060, "CS", "CT")
                .Sequence(0x0008, 0x1115, definedLength, definedItems, outerItem, emptyItem)
                .Sequence(0x0008, 0x1120, definedLength, definedItems)
                .Image(1, 2, 16, representation: 1)
                .Pixels16(7, 0xFFF9)
                .ToDataset();

            var dataset = DicomFile.Read(bytes, "sequences.dcm");
            var items = dataset.GetSequence(Outer);

            Assert.Equal("CT", dataset.GetString(DicomTags.Modality));
            Assert.Equal(2, items.Count);
            Assert.Equal("SEG", items[0].GetString(DicomTags.Modality));
            Assert.Equal(["1.2.3", "1.2.3"], items[0].GetSequence(Inner).Select(item => item.GetString(ReferencedUid)));
            Assert.Empty(items[1].Elements);
            Assert.Empty(dataset.GetSequence(new DicomTag(0x0008, 0x1120)));
            Assert.Equal([7, -7], DicomImage.From(dataset).StoredValues());
        }
    }

    [Fact]
    public void ImplicitSequencesOfUndefinedLengthAreParsedAndDefinedOnesOnRequest()
    {
        var item = new DicomTestWriter(DatasetEncoding.ImplicitLittleEndian).Text(0x0008, 0x1155, "UI", "4.5.6").ToDataset();
        var bytes = new DicomTestWriter(DatasetEncoding.ImplicitLittleEndian)
            .Sequence(0x0008, 0x1115, definedLength: false, definedItems: false, item)
            .Sequence(0x0008, 0x1140, definedLength: true, definedItems: true, item, item)
            .Image(1, 1, 16)
            .Pixels16(42)
            .ToDataset();

        var dataset = DicomFile.Read(bytes, "implicit.dcm");

        Assert.Equal("SQ", dataset.Find(Outer)!.Vr);
        Assert.Equal(["4.5.6"], dataset.GetSequence(Outer).Select(i => i.GetString(ReferencedUid)));
        Assert.Equal("UN", dataset.Find(Inner)!.Vr);
        Assert.Equal(["4.5.6", "4.5.6"], dataset.GetSequence(Inner).Select(i => i.GetString(ReferencedUid)));
        Assert.Equal([42], DicomImage.From(dataset).StoredValues());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnUnSequenceInABigEndianFileIsImplicitLittleEndianInside(bool definedLength)
    {
        // CP-246 (the fo-dicom GH177 file): the items of a UN sequence are implicit VR LE even in a big-endian file.
        var item = new DicomTestWriter(DatasetEncoding.ImplicitLittleEndian)
            .Text(0x0008, 0x1155, "UI", "7.8.9")
            .Us(0x0028, 0x0010, 513)
            .ToDataset();
        var bytes = new DicomTestWriter(DatasetEncoding.ExplicitBigEndian)
            .Sequence(0x0008, 0x2112, "UN", definedLength, definedItems: false, item)
            .Image(1, 2, 16)
            .Pixels16(0x0102, 0x0304)
            .ToFile(TransferSyntax.ExplicitVrBigEndianUid);

        var dataset = DicomFile.Read(bytes, "un-sequence.dcm");
        var items = dataset.GetSequence(new DicomTag(0x0008, 0x2112));

        Assert.Equal("UN", dataset.Find(new DicomTag(0x0008, 0x2112))!.Vr);
        Assert.Equal("7.8.9", Assert.Single(items).GetString(ReferencedUid));
        Assert.Equal(DatasetEncoding.ImplicitLittleEndian, items[0].Encoding);
        Assert.Equal(513, items[0].GetInt(DicomTags.Rows));
        Assert.Equal([0x0102, 0x0304], DicomImage.From(dataset).StoredValues());
    }

    [Fact]
    public void PrivateTagsGroupLengthsAndTrailingPaddingAreSkipped()
    {
        var writer = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian)
            .Element(0x0008, 0x0000, "UL", BitConverter.GetBytes(12u))
            .Text(0x0009, 0x0010, "LO", "GEMS_IDEN_01")
            .Element(0x0009, 0x1001, "UN", [1, 2, 3, 4, 5, 6])
            .Image(1, 1, 16)
            .Pixels16(9);
        var bytes = writer
            .Element(0xFFFC, 0xFFFC, "OB", new byte[10])
            .ToFile(TransferSyntax.ExplicitVrLittleEndianUid);

        var dataset = DicomFile.Read(bytes, "private.dcm");

        Assert.Equal(12, dataset.GetInt(new DicomTag(0x0008, 0x0000)));
        Assert.Equal("GEMS_IDEN_01", dataset.GetString(new DicomTag(0x0009, 0x0010)));
        Assert.Equal([1, 2, 3, 4, 5, 6], dataset.ValueBytes(dataset.Find(new DicomTag(0x0009, 0x1001))!).ToArray());
        Assert.True(dataset.Contains(new DicomTag(0xFFFC, 0xFFFC)));
        Assert.Equal([9], DicomImage.From(dataset).StoredValues());
    }

    [Fact]
    public void MultiValuedStringsAndNumbersAreSplitAndTrimmed()
    {
        var bytes = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian)
            .Text(0x0008, 0x0008, "CS", "ORIGINAL\\PRIMARY\\AXIAL")
            .Text(0x0020, 0x0013, "IS", " 12 ")
            .Text(0x0020, 0x0032, "DS", "-166.000000\\-171.699997\\-207.500000")
            .Text(0x0028, 0x1050, "DS", "00500\\00500")
            .Text(0x0020, 0x4000, "LT", "  indented")
            .ToDataset();

        var dataset = DicomFile.Read(bytes, "values.dcm");

        Assert.Equal(["ORIGINAL", "PRIMARY", "AXIAL"], dataset.GetStrings(new DicomTag(0x0008, 0x0008)));
        Assert.Equal(12, dataset.GetInt(DicomTags.InstanceNumber));
        Assert.Equal([-166.0, -171.699997, -207.5], dataset.GetDoubles(DicomTags.ImagePositionPatient));
        Assert.Equal(500.0, dataset.GetDouble(DicomTags.WindowCenter, 1));
        Assert.Null(dataset.GetDouble(DicomTags.WindowCenter, 2));
        Assert.Equal("  indented", dataset.GetString(new DicomTag(0x0020, 0x4000)));
        Assert.Null(dataset.GetString(DicomTags.Manufacturer));
        Assert.Equal(12, SliceAttributes.From(dataset).InstanceNumber);
    }
}
