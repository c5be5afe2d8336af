using System.Buffers.Binary;
using Reproduce.Data.Dicom;

namespace Reproduce.Data.Tests.Dicom;

/// <summary>
/// The product DICOM writer makes valid Part-10 files: the project's reader gets back exactly what was written
/// (stored values, rescale, padding, geometry, identifiers), the encoding rules hold byte by byte (meta group
/// length, ascending tags, even lengths), and dcmdump, an independent reader, reads every variant without a warning.
/// </summary>
public class DicomSliceWriterTests
{
    private static readonly string Study = DicomUid.FromName("test/study");
    private static readonly string Series = DicomUid.FromName("test/series");

    [Fact]
    public void ASignedCtSliceReadsBackWithItsStoredValuesRescaleAndPadding()
    {
        var slice = CtSlice();

        var dataset = DicomFile.Read(DicomSliceWriter.Encode(slice), "ct.dcm");
        var image = DicomImage.From(dataset);

        Assert.Equal(TransferSyntax.ExplicitVrLittleEndianUid, dataset.TransferSyntax.Uid);
        Assert.Equal(slice.StoredValues.ToArray(), image.StoredValues());
        Assert.Equal(slice.StoredValues.ToArray().Select(v => (float)(v - 1024)), image.HounsfieldUnits());
        Assert.Equal((3, 4, 16, 16, 15, 1, -1024.0, 1.0, -2000), (image.Rows, image.Columns, image.BitsAllocated, image.BitsStored, image.HighBit, image.PixelRepresentation, image.RescaleIntercept, image.RescaleSlope, image.PixelPaddingValue));
        Assert.Equal("MONOCHROME2", image.Photometric);
        Assert.Equal("SS", dataset.Find(DicomTags.PixelPaddingValue)!.Vr);
        Assert.Equal("HU", dataset.GetString(new DicomTag(0x0028, 0x1054)));
    }

    [Fact]
    public void TheIdentifiersAndGeometryReadBackExactly()
    {
        var slice = CtSlice();

        var attributes = SliceAttributes.From(DicomFile.Read(DicomSliceWriter.Encode(slice), "ct.dcm"));

        Assert.Equal(("CT", "GE MEDICAL SYSTEMS", Study, Series, slice.SopInstanceUid, 7), (attributes.Modality, attributes.Manufacturer, attributes.StudyInstanceUid, attributes.SeriesInstanceUid, attributes.SopInstanceUid, attributes.InstanceNumber));
        Assert.Equal([-174.6582, -174.6582, -1234.5625], attributes.ImagePositionPatient);
        Assert.Equal([1.0, 0, 0, 0, 1, 0], attributes.ImageOrientationPatient);
        Assert.Equal([0.683594, 0.683594], attributes.PixelSpacing);
        Assert.Equal(1.25, attributes.SliceThickness);
        Assert.Equal(-1234.5625, attributes.SliceLocation);
    }

    [Fact]
    public void TheMetaGroupNamesTheClassInstanceSyntaxAndWriterWithItsTrueLength()
    {
        var slice = CtSlice();
        var bytes = DicomSliceWriter.Encode(slice);

        Assert.All(bytes[..128], b => Assert.Equal(0, b));
        Assert.Equal("DICM"u8.ToArray(), bytes[128..132]);
        var meta = DicomFile.Read(bytes, "ct.dcm").FileMeta!;
        Assert.Equal(DicomSliceWriter.CtImageStorage, meta.GetString(DicomTags.MediaStorageSopClassUid));
        Assert.Equal(slice.SopInstanceUid, meta.GetString(DicomTags.MediaStorageSopInstanceUid));
        Assert.Equal(DicomSliceWriter.ImplementationClassUid, meta.GetString(new DicomTag(0x0002, 0x0012)));
        Assert.Equal([0, 1], meta.ValueBytes(meta.Find(new DicomTag(0x0002, 0x0001))!).ToArray());
        // The group length counts the bytes from the end of its own element to the first element of group 0008.
        var groupLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(140));
        var datasetStart = 144 + (int)groupLength;
        Assert.Equal([0x08, 0x00], bytes[datasetStart..(datasetStart + 2)]);
        Assert.Equal(meta.Elements[^1].ValueOffset + meta.Elements[^1].Length, datasetStart);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ElementsAscendAndEveryValueHasEvenLength(bool explicitVr)
    {
        // An odd-length UID and manufacturer, so both padding rules are exercised.
        var slice = CtSlice() with { SopInstanceUid = "1.2.3", Manufacturer = "ACME", PatientId = "ABC", TransferSyntax = explicitVr ? TransferSyntax.ExplicitVrLittleEndian : TransferSyntax.ImplicitVrLittleEndian };

        var dataset = DicomFile.Read(DicomSliceWriter.Encode(slice), "ct.dcm");

        Assert.Equal(dataset.Elements.Select(e => e.Tag).Order(), dataset.Elements.Select(e => e.Tag));
        Assert.Equal(dataset.Elements.Count, dataset.Elements.Select(e => e.Tag).Distinct().Count());
        Assert.All(dataset.Elements.Concat(dataset.FileMeta!.Elements), e => Assert.True(e.Length % 2 == 0, $"{e.Tag} has odd length {e.Length}"));
        Assert.Equal("1.2.3\0", Raw(DicomTags.SopInstanceUid));
        Assert.Equal("1.2.3\0", System.Text.Encoding.ASCII.GetString(dataset.FileMeta.ValueBytes(dataset.FileMeta.Find(DicomTags.MediaStorageSopInstanceUid)!)));
        Assert.Equal("ABC ", Raw(DicomTags.PatientId));
        Assert.Equal("ACME", Raw(DicomTags.Manufacturer));

        string Raw(DicomTag tag) => System.Text.Encoding.ASCII.GetString(dataset.ValueBytes(dataset.Find(tag)!));
    }

    [Fact]
    public void ImplicitTwelveBitUnsignedSlicesReadBackWithUnsignedPadding()
    {
        int[] values = [0, 4095, 1024, 0, 2048, 17];
        var slice = CtSlice(values, rows: 2, columns: 3) with
        {
            BitsStored = 12,
            Signed = false,
            PixelPaddingValue = 0,
            TransferSyntax = TransferSyntax.ImplicitVrLittleEndian,
        };

        var dataset = DicomFile.Read(DicomSliceWriter.Encode(slice), "ct.dcm");
        var image = DicomImage.From(dataset);

        Assert.Equal(TransferSyntax.ImplicitVrLittleEndianUid, dataset.TransferSyntax.Uid);
        Assert.Equal(values, image.StoredValues());
        Assert.Equal((12, 11, 0, 0), (image.BitsStored, image.HighBit, image.PixelRepresentation, image.PixelPaddingValue));
    }

    [Fact]
    public void ImplicitSignedPaddingIsReadAsSignedByTheRepresentation()
    {
        var slice = CtSlice() with { TransferSyntax = TransferSyntax.ImplicitVrLittleEndian };

        var image = DicomImage.From(DicomFile.Read(DicomSliceWriter.Encode(slice), "ct.dcm"));

        Assert.Equal(-2000, image.PixelPaddingValue);
        Assert.Equal(slice.StoredValues.ToArray(), image.StoredValues());
    }

    [Fact]
    public void ARadiographIsCrWithoutPlaneOrRescale()
    {
        var slice = Radiograph();

        var dataset = DicomFile.Read(DicomSliceWriter.Encode(slice), "cr.dcm");
        var image = DicomImage.From(dataset);

        Assert.Equal("CR", dataset.GetString(DicomTags.Modality));
        Assert.Equal(DicomSliceWriter.CrImageStorage, dataset.GetString(DicomTags.SopClassUid));
        Assert.Equal(DicomSliceWriter.CrImageStorage, dataset.FileMeta!.GetString(DicomTags.MediaStorageSopClassUid));
        Assert.False(dataset.Contains(DicomTags.ImagePositionPatient));
        Assert.False(dataset.Contains(DicomTags.RescaleIntercept));
        Assert.False(dataset.Contains(DicomTags.PixelSpacing));
        Assert.Equal([0, 1, 4095, 2], image.StoredValues());
    }

    [Fact]
    public void TheSameSliceGivesTheSameBytesAndWriteReplacesTheTargetWhole()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("000001.dcm");
        File.WriteAllText(path, "old");

        DicomSliceWriter.Write(path, CtSlice());

        Assert.Equal(DicomSliceWriter.Encode(CtSlice()), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void InvalidSlicesAreRefusedWithTheProblemNamed()
    {
        Assert.Contains("outside -32768..32767", Refused(CtSlice() with { StoredValues = new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40000 } }));
        Assert.Contains("outside 0..4095", Refused(CtSlice() with { BitsStored = 12, Signed = false, PixelPaddingValue = null }));
        Assert.Contains("do not fill 3 × 4", Refused(CtSlice() with { StoredValues = new int[5] }));
        Assert.Contains("needs a Geometry", Refused(CtSlice() with { Geometry = null }));
        Assert.Contains("neither CT nor CR", Refused(CtSlice() with { Modality = "MR" }));
        Assert.Contains("no rescale", Refused(Radiograph() with { RescaleIntercept = -1024 }));
        Assert.Contains("is not written", Refused(CtSlice() with { TransferSyntax = TransferSyntax.ExplicitVrBigEndian }));
        Assert.Contains("BitsStored 8", Refused(CtSlice() with { BitsStored = 8 }));
        Assert.Contains("does not fit US", Refused(CtSlice() with { Signed = false, StoredValues = new int[12], PixelPaddingValue = -2000 }));
        Assert.Contains("not a valid UID", Refused(CtSlice() with { SopInstanceUid = "1.2.03" }));
        Assert.Contains("longer than 64", Refused(CtSlice() with { PatientId = new string('P', 65) }));

        static string Refused(DicomSlice slice) => Assert.Throws<ArgumentException>(() => DicomSliceWriter.Encode(slice)).Message;
    }

    [Theory]
    [InlineData(-1024.0, "-1024")]
    [InlineData(0.683594, "0.683594")]
    [InlineData(1.0 / 3, "0.33333333333333")]
    [InlineData(-123456.789012345678, "-123456.78901235")]
    [InlineData(1e-20, "1E-20")]
    public void DecimalStringsAreExactWhenTheyFitAndRoundedToSixteenCharactersOtherwise(double value, string expected)
    {
        var text = DicomElementEncoder.FormatDecimal(value);

        Assert.Equal(expected, text);
        Assert.True(text.Length <= 16);
    }

    [DcmtkFact]
    public void DcmdumpReadsEveryVariantWithoutAWarning()
    {
        using var folder = new TempFolder();
        DicomSlice[] slices =
        [
            CtSlice(),
            CtSlice() with { TransferSyntax = TransferSyntax.ImplicitVrLittleEndian },
            CtSlice([0, 4095, 1024, 0, 2048, 17], rows: 2, columns: 3) with { BitsStored = 12, Signed = false, PixelPaddingValue = null },
            Radiograph(),
        ];
        var paths = slices.Select((slice, i) => folder.Combine($"{i}.dcm")).ToArray();
        for (var i = 0; i < slices.Length; i++)
        {
            DicomSliceWriter.Write(paths[i], slices[i]);
        }

        var (output, error) = Dcmtk.Run("dcmdump", ["-E", "-dc", .. paths]);

        Assert.Equal("", error);
        Assert.Contains("(0028,0120) SS -2000", output);
        Assert.Contains("(0028,0101) US 12", output);
        Assert.Contains("(0008,0060) CS [CR]", output);
        Assert.Contains($"(0002,0010) UI =LittleEndianImplicit", output);
        Assert.Contains($"(0020,0032) DS [-174.6582\\-174.6582\\-1234.5625]", output);
    }

    private static DicomSlice CtSlice() =>
        CtSlice([-2000, 0, 1024, 3071 + 1024, -2000, 5, 6, 7, 32767, -32768, 100, -2000], rows: 3, columns: 4);

    private static DicomSlice CtSlice(int[] values, int rows, int columns) => new()
    {
        Modality = DicomSlice.ComputedTomography,
        PatientId = "LIDC-SYN-0001",
        StudyInstanceUid = Study,
        SeriesInstanceUid = Series,
        SopInstanceUid = DicomUid.FromName("test/instance/7"),
        Manufacturer = "GE MEDICAL SYSTEMS",
        StudyDate = "20010203",
        SeriesNumber = 3000,
        InstanceNumber = 7,
        Geometry = new SliceGeometry(-174.6582, -174.6582, -1234.5625, 0.683594, 1.25, DicomUid.FromName("test/frame")),
        Rows = rows,
        Columns = columns,
        Signed = true,
        RescaleIntercept = -1024,
        PixelPaddingValue = -2000,
        StoredValues = values,
    };

    private static DicomSlice Radiograph() => new()
    {
        Modality = DicomSlice.ComputedRadiography,
        PatientId = "LIDC-SYN-0002",
        StudyInstanceUid = Study,
        SeriesInstanceUid = DicomUid.FromName("test/cr-series"),
        SopInstanceUid = DicomUid.FromName("test/cr/1"),
        Rows = 2,
        Columns = 2,
        BitsStored = 12,
        StoredValues = new[] { 0, 1, 4095, 2 },
    };
}
