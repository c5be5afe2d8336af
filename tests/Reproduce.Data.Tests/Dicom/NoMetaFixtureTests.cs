using Reproduce.Core.Errors;
using Reproduce.Data.Dicom;

namespace Reproduce.Data.Tests.Dicom;

/// <summary>
/// no_meta.dcm is described at its source as CT_small's data set in implicit VR LE without preamble or meta
/// group. The file on disk is not that (tests/fixtures/README.md says so too): it is CT_small's explicit VR LE
/// data set preceded by one stray byte (the last byte of CT_small's meta group). These tests pin down what the
/// file is, that the reader rejects it clearly (as dcmtk does), and that the meta-less data set it was meant to
/// be reads equal to CT_small.
/// </summary>
public class NoMetaFixtureTests
{
    // CT_small's meta group ends at byte 336; no_meta.dcm starts one byte earlier.
    private const int CtSmallDataSetStart = 336;

    [Fact]
    public void TheFixtureIsCtSmallsExplicitDataSetAfterOneStrayByte()
    {
        var ctSmall = File.ReadAllBytes(Fixtures.File("dicom", "CT_small.dcm"));
        var noMeta = File.ReadAllBytes(Fixtures.File("dicom", "no_meta.dcm"));

        Assert.Equal(ctSmall[(CtSmallDataSetStart - 1)..], noMeta);
        Assert.Equal((byte)' ', noMeta[0]);
        Assert.Equal("CS"u8.ToArray(), noMeta[5..7]);
    }

    [Fact]
    public void TheFixtureAsShippedFailsAtByteZeroNamingTheImpossibleLength()
    {
        var path = Fixtures.File("dicom", "no_meta.dcm");

        var error = Assert.Throws<DataFormatException>(() => DicomFile.Read(path));

        // Read as implicit VR LE from byte 0, the first "element" is (0820,0500) with length 0x0A534300.
        Assert.Equal(0, error.Offset);
        Assert.Contains("(0820,0500)", error.Message);
        Assert.Contains("173228800", error.Message);
    }

    [Fact]
    public void TheMetaLessDataSetInsideTheFixtureReadsEqualToCtSmall()
    {
        var noMeta = File.ReadAllBytes(Fixtures.File("dicom", "no_meta.dcm"));
        var expected = DicomImage.From(DicomFile.Read(Fixtures.File("dicom", "CT_small.dcm")));

        var dataset = DicomFile.Read(noMeta.AsMemory(1), "no_meta.dcm without its first byte");
        var image = DicomImage.From(dataset);

        Assert.Null(dataset.FileMeta);
        Assert.Equal(TransferSyntax.ExplicitVrLittleEndianUid, dataset.TransferSyntax.Uid);
        Assert.Equal(expected.StoredValues(), image.StoredValues());
        Assert.Equal(-2000, image.PixelPaddingValue);
        Assert.Equal(-1024, image.RescaleIntercept);
    }

    [Fact]
    public void CtSmallReEncodedAsAMetaLessImplicitDataSetReadsEqualToCtSmall()
    {
        // What the README says no_meta.dcm is, built here by re-encoding CT_small element by element.
        var original = DicomFile.Read(Fixtures.File("dicom", "CT_small.dcm"));
        var implicitBytes = ImplicitReEncoder.Encode(original);

        var dataset = DicomFile.Read(implicitBytes, "CT_small as a bare implicit VR LE data set");
        var image = DicomImage.From(dataset);

        Assert.Null(dataset.FileMeta);
        Assert.Equal(TransferSyntax.ImplicitVrLittleEndianUid, dataset.TransferSyntax.Uid);
        Assert.Equal(original.Elements.Select(e => e.Tag), dataset.Elements.Select(e => e.Tag));
        Assert.Equal(DicomImage.From(original).StoredValues(), image.StoredValues());
        Assert.Equal(-2000, image.PixelPaddingValue);
        Assert.Equal(5.0, dataset.GetDouble(DicomTags.SliceThickness));
        Assert.Equal(["ABCD1234", "1234ABCD"], dataset.GetSequence(new DicomTag(0x0010, 0x1002)).Select(item => item.GetString(DicomTags.PatientId)));
    }
}
