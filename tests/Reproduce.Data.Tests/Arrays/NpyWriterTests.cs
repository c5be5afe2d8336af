using System.Text;
using Reproduce.Data.Arrays;

namespace Reproduce.Data.Tests.Arrays;

/// <summary>
/// The .npy files `reproduce inspect --npy` writes from DICOM units are exactly what numpy.save writes
/// (format 1.0, '&lt;f4', C order, data aligned to 64 bytes).
/// </summary>
public class NpyWriterTests
{
    [Fact]
    public void ATwoByThreeArrayIsWrittenByteForByteAsNumpyDoes()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("a.npy");

        NpyWriter.WriteFloat32(path, 2, 3, [0f, 1f, -1f, 0.5f, -1024f, float.MaxValue]);

        var bytes = File.ReadAllBytes(path);
        const string Dictionary = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        var header = Dictionary + new string(' ', 128 - 10 - Dictionary.Length - 1) + "\n";
        byte[] expectedHeader = [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, 0, .. Encoding.ASCII.GetBytes(header)];
        byte[] expectedData =
        [
            0x00, 0x00, 0x00, 0x00, // 0
            0x00, 0x00, 0x80, 0x3F, // 1
            0x00, 0x00, 0x80, 0xBF, // -1
            0x00, 0x00, 0x00, 0x3F, // 0.5
            0x00, 0x00, 0x80, 0xC4, // -1024
            0xFF, 0xFF, 0x7F, 0x7F, // float.MaxValue
        ];
        Assert.Equal(128, expectedHeader.Length);
        Assert.Equal([.. expectedHeader, .. expectedData], bytes);
    }

    [Theory]
    [InlineData(512, 512)]
    [InlineData(1, 1)]
    [InlineData(0, 0)]
    [InlineData(123, 45)]
    public void TheDataAlwaysStartsAtAMultipleOf64(int rows, int columns)
    {
        using var folder = new TempFolder();
        var path = folder.Combine("b.npy");

        NpyWriter.WriteFloat32(path, rows, columns, new float[rows * columns]);

        var bytes = File.ReadAllBytes(path);
        var headerLength = bytes[8] | (bytes[9] << 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        Assert.Equal(10 + headerLength + (4L * rows * columns), bytes.Length);
        Assert.Equal((byte)'\n', bytes[10 + headerLength - 1]);
        Assert.Contains($"'shape': ({rows}, {columns}), }}", Encoding.ASCII.GetString(bytes, 10, headerLength));
    }

    [Fact]
    public void AnExistingFileIsReplacedWholeAndNoTemporaryFileIsLeft()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("c.npy");
        File.WriteAllText(path, "old content that is longer than the new array would be, to catch partial overwrites .......................................................");

        NpyWriter.WriteFloat32(path, 1, 1, [2f]);

        Assert.Equal(132, new FileInfo(path).Length);
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void AShapeThatDoesNotMatchTheValuesIsRefusedAndNothingIsWritten()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("d.npy");

        Assert.Throws<ArgumentException>(() => NpyWriter.WriteFloat32(path, 2, 2, [1f, 2f, 3f]));

        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void AUInt8ArrayOfAnyShapeIsWrittenAsNumpyDoes()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("e.npy");

        NpyWriter.Write(path, NpyArray.UInt8([2, 1, 3], [1, 2, 3, 4, 5, 255]));

        var bytes = File.ReadAllBytes(path);
        const string Dictionary = "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 1, 3), }";
        var header = Dictionary + new string(' ', 128 - 10 - Dictionary.Length - 1) + "\n";
        Assert.Equal([0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, 0, .. Encoding.ASCII.GetBytes(header), 1, 2, 3, 4, 5, 255], bytes);
        var array = NpyReader.Read(path);
        Assert.Equal([2L, 1, 3], array.Shape);
        Assert.Equal([1, 2, 3, 4, 5, 255], array.AsBytes().ToArray());
    }

    [Theory]
    [InlineData(new long[] { 5 }, "(5,)")]
    [InlineData(new long[] { }, "()")]
    [InlineData(new long[] { 0, 28, 28 }, "(0, 28, 28)")]
    public void ShapesArePythonTuples(long[] shape, string tuple)
    {
        var header = Encoding.ASCII.GetString(NpyWriter.Header(NpyDType.UInt8, shape));

        Assert.Contains($"'shape': {tuple}, }}", header);
    }
}
