using Reproduce.Core.Errors;
using Reproduce.Data.Dicom;

namespace Reproduce.Data.Tests.Dicom;

/// <summary>
/// Lying and truncated input fails with <see cref="DataFormatException"/> naming the byte offset and the cause,
/// before any allocation a length field asks for (DESIGN.md §4).
/// </summary>
public class DicomHostileInputTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AHugeLengthFieldFailsAtTheElementWithoutAllocating(bool explicitVr)
    {
        var writer = new DicomTestWriter(new DatasetEncoding(explicitVr, false)).Text(0x0008, 0x0060, "CS", "CT");
        var offset = writer.Position;
        var bytes = writer.Header(0x0009, 0x1001, "OB", 0xFFFFFFF0).Bytes(new byte[16]).ToFile(ExplicitOrImplicit(explicitVr));

        var error = Assert.Throws<DataFormatException>(() => DicomFile.Read(bytes, "lying.dcm"));

        Assert.Equal(MetaLength(explicitVr) + offset, error.Offset);
        Assert.Contains("(0009,1001)", error.Message);
        Assert.Contains("4294967280", error.Message);
        Assert.Contains("only 16 bytes remain", error.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ASequenceThatIsNeverClosedFailsAtTheSequence(bool explicitVr)
    {
        var encoding = new DatasetEncoding(explicitVr, false);
        var item = new DicomTestWriter(encoding).Text(0x0008, 0x1155, "UI", "1.2").ToDataset();
        var writer = new DicomTestWriter(encoding).Text(0x0008, 0x0060, "CS", "CT");
        var offset = writer.Position;
        writer.Header(0x0008, 0x1115, "SQ", DicomTestWriter.Undefined).Item((uint)item.Length).Bytes(item);

        var error = Assert.Throws<DataFormatException>(() => DicomFile.Read(writer.ToDataset(), "open.dcm"));

        Assert.Equal(offset, error.Offset);
        Assert.Contains("sequence (0008,1115) of undefined length is never closed", error.Message);
    }

    [Fact]
    public void AnItemThatIsNeverClosedFailsAtTheItem()
    {
        var writer = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian).Header(0x0008, 0x1115, "SQ", DicomTestWriter.Undefined);
        var offset = writer.Position;
        writer.Item(DicomTestWriter.Undefined).Text(0x0008, 0x1155, "UI", "1.2");

        var error = Assert.Throws<DataFormatException>(() => DicomFile.Read(writer.ToDataset(), "open-item.dcm"));

        Assert.Equal(offset, error.Offset);
        Assert.Contains("an item of undefined length is never closed", error.Message);
    }

    [Fact]
    public void EncapsulatedPixelDataThatIsNeverClosedFailsAtThePixelElement()
    {
        var writer = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian).Image(1, 1, 8);
        var offset = writer.Position;
        var bytes = writer.Header(0x7FE0, 0x0010, "OB", DicomTestWriter.Undefined).Item(0).Item(2).Bytes([1, 2]).ToFile(TransferSyntax.RleLosslessUid);

        var error = Assert.Throws<DataFormatException>(() => DicomFile.Read(bytes, "open-pixels.dcm"));

        Assert.Equal(MetaLength(true, TransferSyntax.RleLosslessUid) + offset, error.Offset);
        Assert.Contains("encapsulated pixel data is never closed", error.Message);
    }

    [Fact]
    public void PixelDataShorterThanTheImageFailsAtThePixelElement()
    {
        var writer = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian).Image(4, 4, 16);
        var offset = writer.Position;
        var bytes = writer.Pixels16(1, 2, 3, 4, 5, 6, 7).ToDataset();

        var error = Assert.Throws<DataFormatException>(() => DicomImage.From(DicomFile.Read(bytes, "short.dcm")));

        Assert.Equal(offset, error.Offset);
        Assert.Contains("holds 14 bytes of pixel data", error.Message);
        Assert.Contains("4 × 4 × 1 × 2 = 32 bytes", error.Message);
    }

    [Fact]
    public void ADataSetEndingInsideAHeaderFailsThere()
    {
        var writer = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian).Text(0x0008, 0x0060, "CS", "CT");
        var offset = writer.Position;
        var bytes = writer.Bytes([0x08, 0x00, 0x70]).ToDataset();

        var error = Assert.Throws<DataFormatException>(() => DicomFile.Read(bytes, "cut.dcm"));

        Assert.Equal(offset, error.Offset);
        Assert.Contains("only 3 bytes remain", error.Message);
    }

    [Fact]
    public void AnItemLongerThanItsSequenceFailsAtTheItem()
    {
        var writer = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian).Header(0x0008, 0x1115, "SQ", 16);
        var offset = writer.Position;
        var bytes = writer.Item(100).Bytes(new byte[8]).Text(0x0008, 0x0060, "CS", "CT").ToDataset();

        var error = Assert.Throws<DataFormatException>(() => DicomFile.Read(bytes, "long-item.dcm"));

        Assert.Equal(offset, error.Offset);
        Assert.Contains("an item of sequence (0008,1115) declares a value length of 100 bytes, but only 8 bytes remain", error.Message);
    }

    [Fact]
    public void BytesThatSpellNoVrFailAtTheElement()
    {
        var writer = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian).Text(0x0008, 0x0060, "CS", "CT");
        var offset = writer.Position;
        var bytes = writer.Tag(0x0008, 0x0070).Bytes("zz\x02\0ab"u8).ToFile(TransferSyntax.ExplicitVrLittleEndianUid);

        var error = Assert.Throws<DataFormatException>(() => DicomFile.Read(bytes, "vr.dcm"));

        Assert.Equal(MetaLength(true) + offset, error.Offset);
        Assert.Contains("VR bytes 0x7A 0x7A", error.Message);
    }

    [Fact]
    public void SequencesNestedBeyondTheLimitFail()
    {
        var content = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian).Text(0x0008, 0x0060, "CS", "CT").ToDataset();
        for (var level = 0; level < DatasetParserLimit + 1; level++)
        {
            content = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian)
                .Sequence(0x0008, 0x1115, definedLength: false, definedItems: false, content)
                .ToDataset();
        }

        var error = Assert.Throws<DataFormatException>(() => DicomFile.Read(content, "deep.dcm"));

        Assert.Contains($"nested more than {DatasetParserLimit} levels deep", error.Message);
    }

    [Fact]
    public void SequencesNestedUpToTheLimitAreRead()
    {
        var content = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian).Text(0x0008, 0x0060, "CS", "CT").ToDataset();
        for (var level = 0; level < DatasetParserLimit; level++)
        {
            content = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian)
                .Sequence(0x0008, 0x1115, definedLength: true, definedItems: false, content)
                .ToDataset();
        }

        var dataset = DicomFile.Read(content, "deep.dcm");
        for (var level = 0; level < DatasetParserLimit; level++)
        {
            dataset = Assert.Single(dataset.GetSequence(new DicomTag(0x0008, 0x1115)));
        }

        Assert.Equal("CT", dataset.GetString(DicomTags.Modality));
    }

    [Fact]
    public void ABasicOffsetTableOfOddSizeOrAnUndefinedLengthFragmentFails()
    {
        var odd = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian).Header(0x7FE0, 0x0010, "OB", DicomTestWriter.Undefined).Item(6).Bytes(new byte[6]).SequenceDelimiter().ToDataset();
        var undefined = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian).Header(0x7FE0, 0x0010, "OB", DicomTestWriter.Undefined).Item(0).Item(DicomTestWriter.Undefined).SequenceDelimiter().ToDataset();

        Assert.Contains("the basic offset table has 6 bytes, not a multiple of 4", Assert.Throws<DataFormatException>(() => DicomFile.Read(odd, "bot.dcm")).Message);
        Assert.Contains("a pixel data fragment has undefined length", Assert.Throws<DataFormatException>(() => DicomFile.Read(undefined, "fragment.dcm")).Message);
    }

    [Fact]
    public void ADelimiterWhereAnElementShouldBeFails()
    {
        var bytes = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian).Text(0x0008, 0x0060, "CS", "CT").SequenceDelimiter().ToDataset();

        var error = Assert.Throws<DataFormatException>(() => DicomFile.Read(bytes, "delimiter.dcm"));

        Assert.Equal(10, error.Offset);
        Assert.Contains("found a sequence delimitation item (FFFE,E0DD) where a data element should be", error.Message);
    }

    [Theory]
    [InlineData("CT_small.dcm", 1)]
    [InlineData("MR_small_RLE.dcm", 1)]
    [InlineData("MR_small_bigendian.dcm", 1)]
    [InlineData("image_dfl.dcm", 1)]
    [InlineData("CT1_UNC.implicit_little_endian.dcm", 4099)]
    public void EveryTruncationOfARealFileFailsAsADataFormatErrorOrKeepsAllPixels(string file, int step)
    {
        var path = Fixtures.File("dicom", file);
        var bytes = File.ReadAllBytes(path);
        var complete = DecodeAll(bytes, path);
        var failures = 0;

        for (var length = 0; length < bytes.Length; length += step)
        {
            float[]? pixels = null;
            var error = Record.Exception(() => pixels = DecodeAll(bytes.AsMemory(0, length), path));

            // A cut after the pixel data (trailing padding, the end of a deflate stream) may leave a complete image.
            Assert.True(error is DataFormatException || (error is null && pixels!.SequenceEqual(complete)), $"truncated to {length} bytes: {error?.GetType().Name ?? "no error, other pixels"}: {error?.Message}");
            failures += error is null ? 0 : 1;
        }

        Assert.InRange(failures, (bytes.Length / step) - 200, bytes.Length);
    }

    [Theory]
    [InlineData("CT_small.dcm")]
    [InlineData("MR_small_RLE.dcm")]
    [InlineData("MR_small_bigendian.dcm")]
    [InlineData("MR_small_implicit.dcm")]
    [InlineData("image_dfl.dcm")]
    public void CorruptedRealFilesEitherDecodeOrFailAsADataFormatError(string file)
    {
        var path = Fixtures.File("dicom", file);
        var original = File.ReadAllBytes(path);
        var random = new Random(20240611);
        var failures = 0;

        for (var trial = 0; trial < 400; trial++)
        {
            var bytes = (byte[])original.Clone();
            // Corrupt the part before the pixel values, where the structure is.
            var structure = Math.Min(bytes.Length, 2000);
            for (var flips = random.Next(1, 5); flips > 0; flips--)
            {
                bytes[random.Next(structure)] = (byte)random.Next(256);
            }

            var error = Record.Exception(() => DecodeAll(bytes, path));

            Assert.True(error is null or DataFormatException, $"trial {trial}: {error?.GetType().Name}: {error?.Message}");
            failures += error is null ? 0 : 1;
        }

        Assert.InRange(failures, 1, 399);
    }

    private const int DatasetParserLimit = 64;

    /// <summary>Everything a pipeline would touch; returns the units of every frame, concatenated.</summary>
    private static float[] DecodeAll(ReadOnlyMemory<byte> bytes, string path)
    {
        var dataset = DicomFile.Read(bytes, path);
        _ = SliceAttributes.From(dataset);
        var image = DicomImage.From(dataset);
        return Enumerable.Range(0, image.Frames).SelectMany(image.HounsfieldUnits).ToArray();
    }

    private static string ExplicitOrImplicit(bool explicitVr) =>
        explicitVr ? TransferSyntax.ExplicitVrLittleEndianUid : TransferSyntax.ImplicitVrLittleEndianUid;

    private static int MetaLength(bool explicitVr, string? uid = null) =>
        DicomTestWriter.MetaGroup(uid ?? ExplicitOrImplicit(explicitVr)).Length;
}
