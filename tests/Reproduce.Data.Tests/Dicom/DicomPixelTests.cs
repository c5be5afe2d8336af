using Reproduce.Core.Errors;
using Reproduce.Data.Dicom;

namespace Reproduce.Data.Tests.Dicom;

/// <summary>Pixel semantics: bit masking, sign extension, frames, padding, rescale and the attribute checks (DATASETS.md §B2.10).</summary>
public class DicomPixelTests
{
    [Theory]
    // bits allocated, bits stored, high bit, pixel representation, raw sample, stored value
    [InlineData(16, 16, 15, 1, 0xF830, -2000)]
    [InlineData(16, 16, 15, 0, 0xF830, 63536)]
    [InlineData(16, 12, 11, 1, 0x0800, -2048)]
    [InlineData(16, 12, 11, 1, 0xA7FF, 2047)]
    [InlineData(16, 12, 11, 1, 0xFFFF, -1)]
    [InlineData(16, 12, 11, 0, 0xFFFF, 4095)]
    [InlineData(16, 12, 11, 0, 0xF123, 0x123)]
    [InlineData(16, 12, 15, 0, 0xFFF0, 4095)]
    [InlineData(16, 12, 15, 1, 0x800F, -2048)]
    [InlineData(16, 14, 13, 1, 0x2000, -8192)]
    [InlineData(8, 8, 7, 0, 0xFF, 255)]
    [InlineData(8, 8, 7, 1, 0xFF, -1)]
    [InlineData(8, 7, 6, 1, 0xC0, -64)]
    [InlineData(8, 4, 7, 0, 0xA5, 0xA)]
    public void StoredValuesAreMaskedShiftedAndSignExtended(int bitsAllocated, int bitsStored, int highBit, int representation, int raw, int expected)
    {
        var writer = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian)
            .Image(1, 2, bitsAllocated, bitsStored, highBit, representation);
        // The second sample is zero, whose stored value is 0 in every layout: checks the first does not leak.
        writer = bitsAllocated == 16 ? writer.Pixels16((ushort)raw, 0) : writer.Element(0x7FE0, 0x0010, "OB", [(byte)raw, 0]);

        var image = DicomImage.From(DicomFile.Read(writer.ToFile(TransferSyntax.ExplicitVrLittleEndianUid), "bits.dcm"));

        Assert.Equal([expected, 0], image.StoredValues());
    }

    [Fact]
    public void LongSixteenBitImagesTakeTheVectorPathAndStayExact()
    {
        // 1000 samples: several full vectors and a remainder, signed and unsigned.
        var raw = Enumerable.Range(0, 1000).Select(i => (ushort)((i * 7919) & 0xFFFF)).ToArray();
        foreach (var representation in new[] { 0, 1 })
        {
            var bytes = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian)
                .Image(10, 100, 16, representation: representation)
                .Pixels16(raw)
                .ToFile(TransferSyntax.ExplicitVrLittleEndianUid);

            var values = DicomImage.From(DicomFile.Read(bytes, "long.dcm")).StoredValues();

            Assert.Equal(raw.Select(r => representation == 1 ? (int)(short)r : r), values);
        }
    }

    [Theory]
    // bits stored, high bit, pixel representation: 12-bit CT in 16-bit samples, low-aligned and high-aligned
    [InlineData(12, 11, 0)]
    [InlineData(12, 11, 1)]
    [InlineData(12, 15, 0)]
    [InlineData(12, 15, 1)]
    [InlineData(10, 12, 1)]
    public void LongMaskedSixteenBitImagesTakeTheVectorPathAndStayExact(int bitsStored, int highBit, int representation)
    {
        // 1000 samples with every bit pattern spread over them: full vectors and a remainder.
        var raw = Enumerable.Range(0, 1000).Select(i => (ushort)((i * 7919) & 0xFFFF)).ToArray();
        var bytes = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian)
            .Image(10, 100, 16, bitsStored, highBit, representation)
            .Pixels16(raw)
            .ToFile(TransferSyntax.ExplicitVrLittleEndianUid);

        var values = DicomImage.From(DicomFile.Read(bytes, "masked.dcm")).StoredValues();

        var shift = highBit + 1 - bitsStored;
        var field = raw.Select(r => (r >> shift) & ((1 << bitsStored) - 1));
        var top = 1 << (bitsStored - 1);
        Assert.Equal(field.Select(v => representation == 1 && v >= top ? v - (2 * top) : v), values);
    }

    [Fact]
    public void FramesAreSelectedByIndexRowMajor()
    {
        var bytes = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian)
            .Image(2, 2, 16, representation: 1, frames: 3)
            .Text(0x0028, 0x1052, "DS", "-1000")
            .Pixels16(0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23)
            .ToFile(TransferSyntax.ExplicitVrLittleEndianUid);

        var image = DicomImage.From(DicomFile.Read(bytes, "frames.dcm"));

        Assert.Equal(3, image.Frames);
        Assert.Equal([0, 1, 2, 3], image.StoredValues());
        Assert.Equal([10, 11, 12, 13], image.StoredValues(1));
        Assert.Equal([-980f, -979f, -978f, -977f], image.HounsfieldUnits(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => image.StoredValues(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => image.StoredValues(-1));
    }

    [Theory]
    [InlineData("1.0E+00", " -1024 ", 1.0, -1024.0)]
    [InlineData("0001", "-01.024000E+03", 1.0, -1024.0)]
    [InlineData(" 2.5", "-10.5", 2.5, -10.5)]
    [InlineData(null, null, 1.0, 0.0)]
    [InlineData("", "", 1.0, 0.0)]
    public void RescaleIsReadFromDecimalStringsAndDefaultsWhenAbsent(string? slope, string? intercept, double expectedSlope, double expectedIntercept)
    {
        var writer = new DicomTestWriter(DatasetEncoding.ImplicitLittleEndian).Image(1, 2, 16, representation: 1);
        if (intercept is not null)
        {
            writer.Text(0x0028, 0x1052, "DS", intercept);
        }

        if (slope is not null)
        {
            writer.Text(0x0028, 0x1053, "DS", slope);
        }

        var image = DicomImage.From(DicomFile.Read(writer.Pixels16(100, 0xFFFE).ToDataset(), "rescale.dcm"));

        Assert.Equal((expectedSlope, expectedIntercept), (image.RescaleSlope, image.RescaleIntercept));
        Assert.Equal([(float)((100 * expectedSlope) + expectedIntercept), (float)((-2 * expectedSlope) + expectedIntercept)], image.HounsfieldUnits());
    }

    [Fact]
    public void AMalformedSlopeFailsNamingTheTagAndItsOffset()
    {
        var writer = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian).Image(1, 2, 16);
        var offset = writer.Position;
        var bytes = writer.Text(0x0028, 0x1053, "DS", "one").Pixels16(1, 2).ToDataset();

        var error = Assert.Throws<DataFormatException>(() => DicomImage.From(DicomFile.Read(bytes, "slope.dcm")));

        Assert.Equal(offset, error.Offset);
        Assert.Contains("(0028,1053)", error.Message);
        Assert.Contains("'one'", error.Message);
    }

    [Theory]
    // padding VR, raw bytes as written, pixel representation, value
    [InlineData("US", 0xF830, 1, -2000)]
    [InlineData("SS", 0xF830, 1, -2000)]
    [InlineData("SS", 0xF830, 0, 63536)]
    [InlineData("US", 0x0000, 0, 0)]
    public void PaddingIsReadAsSsOrUsByPixelRepresentation(string vr, int raw, int representation, int expected)
    {
        foreach (var encoding in new[] { DatasetEncoding.ExplicitLittleEndian, DatasetEncoding.ImplicitLittleEndian, DatasetEncoding.ExplicitBigEndian })
        {
            var writer = new DicomTestWriter(encoding).Image(1, 1, 16, representation: representation);
            var bytes = writer.Element(0x0028, 0x0120, vr, writer.Word((ushort)raw)).Pixels16(0).ToDataset();

            Assert.Equal(expected, DicomImage.From(DicomFile.Read(bytes, "padding.dcm")).PixelPaddingValue);
        }
    }

    [Fact]
    public void MonochromeOneIsReportedAndNotInverted()
    {
        var bytes = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian)
            .Us(0x0028, 0x0002, 1)
            .Text(0x0028, 0x0004, "CS", "MONOCHROME1")
            .Us(0x0028, 0x0010, 1)
            .Us(0x0028, 0x0011, 2)
            .Us(0x0028, 0x0100, 16)
            .Pixels16(10, 4000)
            .ToDataset();

        var image = DicomImage.From(DicomFile.Read(bytes, "mono1.dcm"));

        Assert.Equal("MONOCHROME1", image.Photometric);
        Assert.Equal([10, 4000], image.StoredValues());
        Assert.Equal((16, 15, 0, 1), (image.BitsStored, image.HighBit, image.PixelRepresentation, image.SamplesPerPixel));
        Assert.Null(image.PixelPaddingValue);
    }

    [Theory]
    [InlineData(0x0002, 3, "SamplesPerPixel is 3")]
    [InlineData(0x0100, 12, "BitsAllocated is 12")]
    [InlineData(0x0100, 32, "BitsAllocated is 32")]
    [InlineData(0x0101, 17, "BitsStored 17 and HighBit 15 do not fit BitsAllocated 16")]
    [InlineData(0x0102, 16, "BitsStored 16 and HighBit 16 do not fit BitsAllocated 16")]
    [InlineData(0x0103, 2, "PixelRepresentation is 2")]
    [InlineData(0x0010, 0, "the image is 0 × 2 pixels")]
    public void UnsupportedOrInconsistentPixelAttributesFailClearly(ushort element, ushort value, string problem)
    {
        var values = new Dictionary<ushort, ushort> { [0x0002] = 1, [0x0010] = 1, [0x0011] = 2, [0x0100] = 16, [0x0101] = 16, [0x0102] = 15, [0x0103] = 0 };
        values[element] = value;
        var writer = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian);
        foreach (var (tag, number) in values.OrderBy(pair => pair.Key))
        {
            writer.Us(0x0028, tag, number);
        }

        var bytes = writer.Pixels16(1, 2, 3, 4, 5, 6).ToFile(TransferSyntax.ExplicitVrLittleEndianUid);

        var error = Assert.Throws<DataFormatException>(() => DicomImage.From(DicomFile.Read(bytes, "attributes.dcm")));

        Assert.Contains(problem, error.Message);
        Assert.Equal("attributes.dcm", error.Path);
    }

    [Fact]
    public void MissingRowsOrPixelDataOrZeroFramesFailClearly()
    {
        var noRows = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian).Us(0x0028, 0x0011, 2).Us(0x0028, 0x0100, 16).Pixels16(1, 2).ToDataset();
        var noPixels = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian).Image(1, 2, 16).ToDataset();
        var noFrames = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian).Image(1, 2, 16, frames: 0).Pixels16(1, 2).ToDataset();

        Assert.Contains("no Rows (0028,0010)", Assert.Throws<DataFormatException>(() => DicomImage.From(DicomFile.Read(noRows, "a.dcm"))).Message);
        Assert.Contains("no PixelData (7FE0,0010)", Assert.Throws<DataFormatException>(() => DicomImage.From(DicomFile.Read(noPixels, "b.dcm"))).Message);
        Assert.Contains("NumberOfFrames is 0", Assert.Throws<DataFormatException>(() => DicomImage.From(DicomFile.Read(noFrames, "c.dcm"))).Message);
    }

    [Fact]
    public void CopyMethodsFillCallerBuffersWithoutAllocatingResults()
    {
        var image = DicomImage.From(DicomFile.Read(DicomEncodingTests.CtImage(DatasetEncoding.ExplicitLittleEndian).ToDataset(), "copy.dcm"));
        var stored = new int[6];
        var units = new float[4];

        image.CopyStoredValues(0, stored);
        image.CopyHounsfieldUnits(0, units);

        Assert.Equal([1, 258, -1, -32768, 0, 0], stored);
        Assert.Equal([-1023f, -766f, -1025f, -33792f], units);
        Assert.Throws<ArgumentOutOfRangeException>(() => image.CopyStoredValues(0, new int[3]));
    }
}
