using System.Buffers.Binary;
using System.Security.Cryptography;
using Reproduce.Core.Errors;
using Reproduce.Data.Dicom;

namespace Reproduce.Data.Tests.Dicom;

/// <summary>The real files in tests/fixtures/dicom give the values tests/fixtures/README.md lists (read there with pydicom).</summary>
public class DicomFixtureTests
{
    [Theory]
    [InlineData("CT1_UNC.explicit_little_endian.dcm")]
    [InlineData("CT1_UNC.implicit_little_endian.dcm")]
    [InlineData("CT_small.dcm")]
    [InlineData("MR_small.dcm")]
    [InlineData("MR_small_implicit.dcm")]
    [InlineData("MR_small_bigendian.dcm")]
    [InlineData("MR_small_RLE.dcm")]
    [InlineData("image_dfl.dcm")]
    public void EachFixtureGivesTheReadmeValues(string file)
    {
        var expected = ReadmeFacts(file);
        var image = DicomImage.From(DicomFile.Read(Fixtures.File("dicom", file)));
        var values = image.StoredValues();

        Assert.Equal(expected.Syntax, image.TransferSyntax.Uid);
        Assert.Equal((expected.Rows, expected.Columns, 1), (image.Rows, image.Columns, image.Frames));
        Assert.Equal((expected.BitsAllocated, expected.Signed), (image.BitsAllocated, image.IsSigned));
        Assert.Equal(expected.Rows * expected.Columns, values.Length);
        Assert.Equal(expected.Min, values.Min());
        Assert.Equal(expected.Max, values.Max());
        Assert.Equal(expected.Sum, values.Sum(v => (long)v));
        Assert.Equal(expected.First, values[0]);
        Assert.Equal((expected.Slope, expected.Intercept), (image.RescaleSlope, image.RescaleIntercept));
        Assert.Equal("MONOCHROME2", image.Photometric);
    }

    [Theory]
    [InlineData("CT1_UNC.explicit_little_endian.dcm")]
    [InlineData("CT1_UNC.implicit_little_endian.dcm")]
    public void Ct1GivesTheListedPixelsPaddingCountAndMd5(string file)
    {
        var image = DicomImage.From(DicomFile.Read(Fixtures.File("dicom", file)));
        var values = image.StoredValues();

        Assert.Equal(965, values[(256 * 512) + 256]);
        Assert.Equal(1071, values[(100 * 512) + 200]);
        Assert.Equal(177, values[(300 * 512) + 150]);
        Assert.Equal(-2000, values[(511 * 512) + 511]);
        Assert.Equal(-2000, image.PixelPaddingValue);
        Assert.Equal(55772, values.Count(v => v == -2000));
        Assert.Equal("f3a3d0e739e5f4fbeddd1452b81f4d89", Md5OfInt16(values));
    }

    [Fact]
    public void HounsfieldUnitsAreStoredTimesSlopePlusInterceptWithPaddingKept()
    {
        var image = DicomImage.From(DicomFile.Read(Fixtures.File("dicom", "CT1_UNC.explicit_little_endian.dcm")));
        var units = image.HounsfieldUnits();

        Assert.Equal(965f - 1024f, units[(256 * 512) + 256]);
        Assert.Equal(-2000f - 1024f, units[0]);
        Assert.Equal(image.StoredValues().Select(v => v - 1024f), units);
    }

    [Fact]
    public void CtSmallGivesItsPixelsPaddingAndSliceAttributes()
    {
        var dataset = DicomFile.Read(Fixtures.File("dicom", "CT_small.dcm"));
        var image = DicomImage.From(dataset);
        var values = image.StoredValues();
        var slice = SliceAttributes.From(dataset);

        Assert.Equal(1928, values[(64 * 128) + 64]);
        Assert.Equal(185, values[(10 * 128) + 20]);
        Assert.Equal("45df16134454b381f79cc64eecdb072c", Md5OfInt16(values));
        Assert.Equal(-2000, image.PixelPaddingValue);
        Assert.Equal((16, 16, 15), (image.BitsStored, image.BitsAllocated, image.HighBit));
        Assert.Equal("CT", slice.Modality);
        Assert.Equal("GE MEDICAL SYSTEMS", slice.Manufacturer);
        Assert.Equal("1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322", slice.SeriesInstanceUid);
        Assert.Equal("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322", slice.SopInstanceUid);
        Assert.Equal(1, slice.InstanceNumber);
        Assert.Equal([-158.135803, -179.035797, -75.699997], slice.ImagePositionPatient);
        Assert.Equal([1.0, 0, 0, 0, 1, 0], slice.ImageOrientationPatient);
        Assert.Equal([0.661468, 0.661468], slice.PixelSpacing);
        Assert.Equal(5.0, slice.SliceThickness);
        Assert.Equal(-77.2040634155, slice.SliceLocation);
        Assert.Equal("1.2.840.10008.1.2.1", dataset.FileMeta?.GetString(DicomTags.TransferSyntaxUid));
    }

    [Fact]
    public void CtSmallsDefinedLengthSequenceIsParsedIntoItems()
    {
        var items = DicomFile.Read(Fixtures.File("dicom", "CT_small.dcm")).GetSequence(new DicomTag(0x0010, 0x1002));

        Assert.Equal(["ABCD1234", "1234ABCD"], items.Select(item => item.GetString(DicomTags.PatientId)));
        Assert.All(items, item => Assert.Equal("TEXT", item.GetString(new DicomTag(0x0010, 0x0022))));
    }

    [Theory]
    [InlineData("MR_small_jpeg_ls_lossless.dcm", "1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression")]
    [InlineData("MR_small_jp2klossless.dcm", "1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)")]
    public void CompressedFixturesParseButTheirPixelsFailNamingTheSyntax(string file, string uid, string name)
    {
        var path = Fixtures.File("dicom", file);
        var dataset = DicomFile.Read(path);

        var error = Assert.Throws<DataFormatException>(() => DicomImage.From(dataset));

        Assert.Equal(64, dataset.GetInt(DicomTags.Rows));
        Assert.Equal(path, error.Path);
        Assert.Contains(uid, error.Message);
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void TruncatedPixelDataFailsNamingTheElementOffsetAndBothLengths()
    {
        var path = Fixtures.File("dicom", "MR_truncated.dcm");
        // The README: 8130 of the 8192 pixel bytes are present, after an OW header of 12 bytes.
        var headerOffset = new FileInfo(path).Length - 8130 - 12;

        var error = Assert.Throws<DataFormatException>(() => DicomFile.Read(path));

        Assert.Equal(headerOffset, error.Offset);
        Assert.Contains("(7FE0,0010)", error.Message);
        Assert.Contains("8192", error.Message);
        Assert.Contains("8130", error.Message);
        Assert.StartsWith($"{path}: at byte {headerOffset}: ", error.Message);
    }

    /// <summary>The README's table: transfer syntax, size, dtype, min, max, sum, [0,0], slope and intercept ("-" read as 1 and 0).</summary>
    private static Facts ReadmeFacts(string file) => file switch
    {
        "CT1_UNC.explicit_little_endian.dcm" => new("1.2.840.10008.1.2.1", 512, 512, 16, true, -2000, 2278, 40028413, -2000, 1, -1024),
        "CT1_UNC.implicit_little_endian.dcm" => new("1.2.840.10008.1.2", 512, 512, 16, true, -2000, 2278, 40028413, -2000, 1, -1024),
        "CT_small.dcm" => new("1.2.840.10008.1.2.1", 128, 128, 16, true, 128, 2191, 14826310, 175, 1, -1024),
        "MR_small.dcm" => new("1.2.840.10008.1.2.1", 64, 64, 16, true, 127, 2145, 2125338, 905, 1, 0),
        "MR_small_implicit.dcm" => new("1.2.840.10008.1.2", 64, 64, 16, true, 127, 2145, 2125338, 905, 1, 0),
        "MR_small_bigendian.dcm" => new("1.2.840.10008.1.2.2", 64, 64, 16, true, 127, 2145, 2125338, 905, 1, 0),
        "MR_small_RLE.dcm" => new("1.2.840.10008.1.2.5", 64, 64, 16, true, 127, 2145, 2125338, 905, 1, 0),
        "image_dfl.dcm" => new("1.2.840.10008.1.2.1.99", 512, 512, 8, false, 0, 255, 33322688, 213, 1, 0),
        _ => throw new ArgumentException($"no README facts for {file}", nameof(file)),
    };

    private static string Md5OfInt16(int[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), checked((short)values[i]));
        }

        return Convert.ToHexStringLower(MD5.HashData(bytes));
    }

    private sealed record Facts(string Syntax, int Rows, int Columns, int BitsAllocated, bool Signed, int Min, int Max, long Sum, int First, double Slope, double Intercept);
}
