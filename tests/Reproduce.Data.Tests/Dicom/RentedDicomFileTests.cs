using Reproduce.Core.Errors;
using Reproduce.Data.Datasets;
using Reproduce.Data.Dicom;

namespace Reproduce.Data.Tests.Dicom;

/// <summary>Slices read into pooled buffers (the preprocessing path) decode exactly as slices read into their own arrays.</summary>
public class RentedDicomFileTests
{
    [Theory]
    [InlineData("CT_small.dcm")]
    [InlineData("CT1_UNC.explicit_little_endian.dcm")]
    public void ARentedSliceDecodesLikeAPlainRead(string name)
    {
        var path = Fixtures.File("dicom", name);
        var plain = DicomImage.From(DicomFile.Read(path));

        // Twice in a row: the second read may reuse the first's returned buffer.
        for (var round = 0; round < 2; round++)
        {
            using var slice = CtSlice.Read(path);
            Assert.Equal(plain.StoredValues(), slice.Image.StoredValues());
            Assert.Equal((plain.RescaleSlope, plain.RescaleIntercept, plain.PixelPaddingValue), (slice.Image.RescaleSlope, slice.Image.RescaleIntercept, slice.Image.PixelPaddingValue));
        }
    }

    [Fact]
    public void ATruncatedFileFailsNamingItself()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("cut.dcm");
        var bytes = File.ReadAllBytes(Fixtures.File("dicom", "CT_small.dcm"));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<DataFormatException>(() => CtSlice.Read(path).Image.StoredValues());
        Assert.Equal(path, error.Path);
    }
}
