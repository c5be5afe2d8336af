using Reproduce.Core.Errors;
using Reproduce.Data.Dicom;

namespace Reproduce.Data.Tests.Dicom;

/// <summary>RLE Lossless and fragment-to-frame assignment (DATASETS.md §B2.8, §B2.11).</summary>
public class EncapsulatedPixelTests
{
    private static readonly short[] FrameA = [-2000, -2000, -2000, 0, 1, 2, 300, -300, 32767, -32768, 5, 5];
    private static readonly short[] FrameB = [7, 7, 7, 7, 7, 7, -1, -2, -3, 1024, 1024, 1024];

    [Fact]
    public void RleFramesWithAnOffsetTableDecodeToTheirSamples()
    {
        var first = DicomTestWriter.RleFrame(DicomTestWriter.LittleEndian(FrameA), 2);
        var second = DicomTestWriter.RleFrame(DicomTestWriter.LittleEndian(FrameB), 2);
        var image = Read(RleImage(frames: 2).Encapsulated([0, (uint)(8 + first.Length)], first, second));

        Assert.Equal(FrameA.Select(v => (int)v), image.StoredValues(0));
        Assert.Equal(FrameB.Select(v => (int)v), image.StoredValues(1));
    }

    [Fact]
    public void OneRleFrameSplitOverSeveralFragmentsWithoutOffsetTableIsJoined()
    {
        var frame = DicomTestWriter.RleFrame(DicomTestWriter.LittleEndian(FrameA), 2);
        var image = Read(RleImage(frames: 1).Encapsulated([], frame[..30], frame[30..64], frame[64..]));

        Assert.Equal(FrameA.Select(v => (int)v), image.StoredValues());
    }

    [Fact]
    public void RleFramesWithoutOffsetTableTakeOneFragmentEach()
    {
        var first = DicomTestWriter.RleFrame(DicomTestWriter.LittleEndian(FrameA), 2);
        var second = DicomTestWriter.RleFrame(DicomTestWriter.LittleEndian(FrameB), 2);
        var image = Read(RleImage(frames: 2).Encapsulated([], first, second));

        Assert.Equal(FrameB.Select(v => (int)v), image.StoredValues(1));
    }

    [Fact]
    public void EightBitRleHasOneSegment()
    {
        byte[] samples = [0, 0, 0, 0, 255, 128, 127, 1, 1, 1, 1, 9];
        var bytes = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian)
            .Image(3, 4, 8)
            .Encapsulated([], DicomTestWriter.RleFrame(samples, 1))
            .ToFile(TransferSyntax.RleLosslessUid);

        Assert.Equal(samples.Select(v => (int)v), DicomImage.From(DicomFile.Read(bytes, "rle8.dcm")).StoredValues());
    }

    [Theory]
    [InlineData(new uint[] { 0 }, "the basic offset table lists 1 frames, but NumberOfFrames is 2")]
    [InlineData(new uint[] { 0, 10 }, "basic offset table entry 1 (10) does not point at the start of a new fragment")]
    [InlineData(new uint[] { 0, 0 }, "basic offset table entry 1 (0) does not point at the start of a new fragment")]
    [InlineData(new uint[0], "3 fragments cannot be split into 2 frames without a basic offset table")]
    public void FragmentsThatCannotBeAssignedToFramesFailAtTheElement(uint[] offsetTable, string problem)
    {
        var frame = DicomTestWriter.RleFrame(DicomTestWriter.LittleEndian(FrameA), 2);
        var writer = RleImage(frames: 2);
        var offset = writer.Position;
        var bytes = writer.Encapsulated(offsetTable, frame, frame[..40], frame[40..]).ToFile(TransferSyntax.RleLosslessUid);

        var error = Assert.Throws<DataFormatException>(() => DicomImage.From(DicomFile.Read(bytes, "frames.dcm")));

        Assert.Equal(DicomTestWriter.MetaGroup(TransferSyntax.RleLosslessUid).Length + offset, error.Offset);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void ARleHeaderWithTheWrongSegmentCountFailsNamingTheFrame()
    {
        var frame = DicomTestWriter.RleFrame(DicomTestWriter.LittleEndian(FrameA), 2);
        frame[0] = 3;
        var image = Read(RleImage(frames: 1).Encapsulated([], frame));

        var error = Assert.Throws<DataFormatException>(() => image.StoredValues());

        Assert.Contains("frame 0: the RLE header lists 3 segments", error.Message);
    }

    [Fact]
    public void ARleSegmentThatDecodesTooFewBytesFails()
    {
        // Header for 2 segments of 12 pixels, each a literal run of only 4 bytes.
        var frame = new byte[64 + 10];
        frame[0] = 2;
        frame[4] = 64;
        frame[8] = 69;
        frame[64] = 3;
        frame[69] = 3;
        var image = Read(RleImage(frames: 1).Encapsulated([], frame));

        var error = Assert.Throws<DataFormatException>(() => image.StoredValues());

        Assert.Contains("RLE segment 0 decodes to 4 bytes, but the frame has 12 pixels", error.Message);
    }

    [Fact]
    public void RunsReachingPastTheLastPixelAreClipped()
    {
        // One 8-bit segment for 12 pixels: a 128-byte replicate run, then a literal run nobody needs.
        var frame = new byte[64 + 4];
        frame[0] = 1;
        frame[4] = 64;
        frame[64] = 0x81;
        frame[65] = 9;
        frame[66] = 0;
        frame[67] = 5;
        var bytes = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian)
            .Image(3, 4, 8)
            .Encapsulated([], frame)
            .ToFile(TransferSyntax.RleLosslessUid);

        Assert.Equal(Enumerable.Repeat(9, 12), DicomImage.From(DicomFile.Read(bytes, "clip.dcm")).StoredValues());
    }

    [Fact]
    public void ARleSegmentOffsetOutsideTheFrameFails()
    {
        var frame = DicomTestWriter.RleFrame(DicomTestWriter.LittleEndian(FrameA), 2);
        frame[8] = 0xFF;
        frame[9] = 0xFF;
        var image = Read(RleImage(frames: 1).Encapsulated([], frame));

        var error = Assert.Throws<DataFormatException>(() => image.StoredValues());

        Assert.Contains("RLE segment 0 claims bytes 64 to 65535", error.Message);
    }

    [Theory]
    [InlineData(40000, "frame 0 has 70 encoded bytes, which cannot hold a 40000 × 40000 frame of 3200000000 bytes")]
    [InlineData(65535, "the image is 65535 × 65535 pixels, more than one array can hold")]
    public void ATinyRleFrameClaimingAHugeImageFailsBeforeAnyAllocation(int size, string problem)
    {
        // No PackBits stream expands 70 bytes that far, so nothing is allocated for the frame.
        var bytes = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian)
            .Image(size, size, 16)
            .Encapsulated([], new byte[70])
            .ToFile(TransferSyntax.RleLosslessUid);

        var error = Assert.Throws<DataFormatException>(() => DicomImage.From(DicomFile.Read(bytes, "huge.dcm")));

        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void NativePixelDataUnderAnRleSyntaxFails()
    {
        var bytes = RleImage(frames: 1).Pixels16(new ushort[12]).ToFile(TransferSyntax.RleLosslessUid);

        var error = Assert.Throws<DataFormatException>(() => DicomImage.From(DicomFile.Read(bytes, "native-rle.dcm")));

        Assert.Contains("needs encapsulated pixel data", error.Message);
    }

    private static DicomTestWriter RleImage(int frames) =>
        new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian).Image(3, 4, 16, representation: 1, frames: frames);

    private static DicomImage Read(DicomTestWriter writer) =>
        DicomImage.From(DicomFile.Read(writer.ToFile(TransferSyntax.RleLosslessUid), "rle.dcm"));
}
