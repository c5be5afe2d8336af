using Reproduce.Core.Errors;
using Reproduce.Data.Dicom;

namespace Reproduce.Data.Tests.Dicom;

/// <summary>Preamble, meta group and transfer syntax handling on small synthetic files (DATASETS.md §B2.1–6).</summary>
public class DicomEncodingTests
{
    // 2 × 2 signed 16-bit samples, chosen so a byte-order or sign mistake changes every value.
    private static readonly int[] Expected = [1, 258, -1, -32768];

    [Theory]
    [InlineData(TransferSyntax.ExplicitVrLittleEndianUid, true, false, false)]
    [InlineData(TransferSyntax.ImplicitVrLittleEndianUid, false, false, false)]
    [InlineData(TransferSyntax.ExplicitVrBigEndianUid, true, true, false)]
    [InlineData(TransferSyntax.DeflatedExplicitVrLittleEndianUid, true, false, true)]
    public void EachUncompressedSyntaxReadsTheSameImage(string uid, bool explicitVr, bool bigEndian, bool deflate)
    {
        var bytes = CtImage(new DatasetEncoding(explicitVr, bigEndian)).ToFile(uid, deflate);

        var dataset = DicomFile.Read(bytes, "synthetic.dcm");
        var image = DicomImage.From(dataset);

        Assert.Equal(uid, dataset.TransferSyntax.Uid);
        Assert.Equal(uid, dataset.FileMeta?.GetString(DicomTags.TransferSyntaxUid));
        Assert.Equal(Expected, image.StoredValues());
        Assert.Equal(-2000, image.PixelPaddingValue);
        Assert.Equal((1.0, -1024.0), (image.RescaleSlope, image.RescaleIntercept));
        Assert.Equal("CT", dataset.GetString(DicomTags.Modality));
    }

    [Theory]
    [InlineData(true, false, TransferSyntax.ExplicitVrLittleEndianUid)]
    [InlineData(false, false, TransferSyntax.ImplicitVrLittleEndianUid)]
    [InlineData(true, true, TransferSyntax.ExplicitVrBigEndianUid)]
    public void ABareDataSetIsReadInTheEncodingItsContentShows(bool explicitVr, bool bigEndian, string uid)
    {
        var bytes = CtImage(new DatasetEncoding(explicitVr, bigEndian)).ToDataset();

        var dataset = DicomFile.Read(bytes, "bare.dcm");

        Assert.Null(dataset.FileMeta);
        Assert.Equal(uid, dataset.TransferSyntax.Uid);
        Assert.Equal(Expected, DicomImage.From(dataset).StoredValues());
    }

    [Theory]
    [InlineData(true, TransferSyntax.ExplicitVrLittleEndianUid)]
    [InlineData(false, TransferSyntax.ImplicitVrLittleEndianUid)]
    public void AMetaGroupWithoutTransferSyntaxFallsBackToTheContent(bool explicitVr, string uid)
    {
        var body = CtImage(new DatasetEncoding(explicitVr, false)).ToDataset();
        byte[] bytes = [.. DicomTestWriter.MetaGroup(null), .. body];

        var dataset = DicomFile.Read(bytes, "no-syntax.dcm");

        Assert.NotNull(dataset.FileMeta);
        Assert.Equal(uid, dataset.TransferSyntax.Uid);
        Assert.Equal(Expected, DicomImage.From(dataset).StoredValues());
    }

    [Fact]
    public void AMetaGroupWithoutPreambleIsStillRead()
    {
        var body = CtImage(DatasetEncoding.ImplicitLittleEndian).ToDataset();
        byte[] bytes = [.. DicomTestWriter.MetaGroup(TransferSyntax.ImplicitVrLittleEndianUid, preamble: false), .. body];

        var dataset = DicomFile.Read(bytes, "no-preamble.dcm");

        Assert.Equal(TransferSyntax.ImplicitVrLittleEndianUid, dataset.FileMeta?.GetString(DicomTags.TransferSyntaxUid));
        Assert.Equal(Expected, DicomImage.From(dataset).StoredValues());
    }

    [Fact]
    public void AZlibWrappedDeflatedDataSetIsAccepted()
    {
        var body = CtImage(DatasetEncoding.ExplicitLittleEndian).ToDataset();
        using var compressed = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.Optimal))
        {
            zlib.Write(body);
        }

        byte[] bytes = [.. DicomTestWriter.MetaGroup(TransferSyntax.DeflatedExplicitVrLittleEndianUid), .. compressed.ToArray()];

        Assert.Equal(Expected, DicomImage.From(DicomFile.Read(bytes, "zlib.dcm")).StoredValues());
    }

    [Fact]
    public void ADeflatedDataSetThatIsNotDeflateFailsAtTheStreamStart()
    {
        var meta = DicomTestWriter.MetaGroup(TransferSyntax.DeflatedExplicitVrLittleEndianUid);
        byte[] bytes = [.. meta, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];

        var error = Assert.Throws<DataFormatException>(() => DicomFile.Read(bytes, "garbage.dcm"));

        Assert.Equal(meta.Length, error.Offset);
        Assert.Contains("deflate", error.Message);
    }

    [Fact]
    public void ADeflatedDataSetInflatingFarBeyondItsSizeIsRefused()
    {
        // 20 MiB of zeros deflate to about 20 kB: over the 16 MiB floor and over 256 times the stream.
        var bomb = DicomTestWriter.Deflate(new byte[20 << 20]);
        var meta = DicomTestWriter.MetaGroup(TransferSyntax.DeflatedExplicitVrLittleEndianUid);
        byte[] bytes = [.. meta, .. bomb];

        var error = Assert.Throws<DataFormatException>(() => DicomFile.Read(bytes, "bomb.dcm"));

        Assert.Equal(meta.Length, error.Offset);
        Assert.Contains("decompression bomb", error.Message);
        Assert.Contains($"from {bomb.Length} compressed bytes", error.Message);
    }

    [Fact]
    public void ErrorsInsideADeflatedDataSetSayTheOffsetIsInTheInflatedData()
    {
        var writer = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian).Text(0x0008, 0x0060, "CS", "CT");
        var lying = writer.Position;
        writer.Header(0x0009, 0x1001, "OB", 0xFFFFFFF0);
        var bytes = writer.ToFile(TransferSyntax.DeflatedExplicitVrLittleEndianUid, deflate: true);
        var meta = DicomTestWriter.MetaGroup(TransferSyntax.DeflatedExplicitVrLittleEndianUid);

        var error = Assert.Throws<DataFormatException>(() => DicomFile.Read(bytes, "deflated.dcm"));

        Assert.Equal(lying, error.Offset);
        Assert.Contains($"inflated data set that starts at file byte {meta.Length}", error.Message);
    }

    [Fact]
    public void AnUnknownTransferSyntaxIsRefusedNamingItsUid()
    {
        var bytes = CtImage(DatasetEncoding.ExplicitLittleEndian).ToFile("1.2.3.4.5");

        var error = Assert.Throws<DataFormatException>(() => DicomFile.Read(bytes, "unknown.dcm"));

        Assert.Equal("unknown.dcm", error.Path);
        Assert.Contains("1.2.3.4.5 (unknown transfer syntax)", error.Message);
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)")]
    [InlineData("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)")]
    [InlineData("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)")]
    [InlineData("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])")]
    [InlineData("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression")]
    [InlineData("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression")]
    [InlineData("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)")]
    [InlineData("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression")]
    [InlineData("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)")]
    [InlineData("1.2.840.10008.1.2.4.55", "unlisted compressed transfer syntax")]
    public void CompressedPixelsFailNamingTheSyntaxWhileTheDataSetStillReads(string uid, string name)
    {
        var bytes = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian)
            .Image(2, 2, 16)
            .Encapsulated([], [0xFF, 0xD8, 0xFF, 0xD9])
            .ToFile(uid);
        var dataset = DicomFile.Read(bytes, "compressed.dcm");

        var error = Assert.Throws<DataFormatException>(() => DicomImage.From(dataset));

        Assert.Equal(2, dataset.GetInt(DicomTags.Rows));
        Assert.Single(dataset.Find(DicomTags.PixelData)!.Encapsulated!.Fragments);
        Assert.Contains($"{uid} ({name})", error.Message);
        Assert.Equal("compressed.dcm", error.Path);
    }

    [Fact]
    public void EncapsulatedUncompressedFramesAreReadOneFragmentPerFrame()
    {
        var bytes = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian)
            .Image(1, 2, 16, representation: 1, frames: 2)
            .Encapsulated([], DicomTestWriter.LittleEndian(5, -6), DicomTestWriter.LittleEndian(-7, 8))
            .ToFile("1.2.840.10008.1.2.1.98");

        var image = DicomImage.From(DicomFile.Read(bytes, "encapsulated.dcm"));

        Assert.Equal([5, -6], image.StoredValues(0));
        Assert.Equal([-7, 8], image.StoredValues(1));
    }

    [Theory]
    [InlineData("OW", new[] { 2, 1, 4, 3 })]
    [InlineData("OB", new[] { 1, 2, 3, 4 })]
    public void EightBitPixelsInABigEndianFileAreWordSwappedOnlyWhenOw(string vr, int[] expected)
    {
        var bytes = new DicomTestWriter(DatasetEncoding.ExplicitBigEndian)
            .Image(2, 2, 8)
            .Element(0x7FE0, 0x0010, vr, [1, 2, 3, 4])
            .ToFile(TransferSyntax.ExplicitVrBigEndianUid);

        Assert.Equal(expected, DicomImage.From(DicomFile.Read(bytes, "be8.dcm")).StoredValues());
    }

    internal static DicomTestWriter CtImage(DatasetEncoding encoding) =>
        new DicomTestWriter(encoding)
            .Text(0x0008, 0x0060, "CS", "CT")
            .Image(2, 2, 16, representation: 1)
            .Ss(0x0028, 0x0120, -2000)
            .Text(0x0028, 0x1052, "DS", "-1024")
            .Text(0x0028, 0x1053, "DS", "1")
            .Pixels16(1, 258, 0xFFFF, 0x8000);
}
