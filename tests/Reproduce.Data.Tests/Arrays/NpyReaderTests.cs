using System.Buffers.Binary;
using System.Text;
using Reproduce.Core.Errors;
using Reproduce.Data.Arrays;

namespace Reproduce.Data.Tests.Arrays;

public class NpyReaderTests
{
    /// <summary>An .npy file as numpy writes it, with the header version and text given.</summary>
    private static byte[] Npy(string header, byte[] payload, int major = 1)
    {
        var text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetBytes(header + "\n");
        var prefix = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 };
        var length = new byte[major == 1 ? 2 : 4];
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)text.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)text.Length);
        }

        return [.. prefix, .. length, .. text, .. payload];
    }

    private static NpyArray Read(byte[] bytes) => NpyReader.Read(new MemoryStream(bytes), bytes.Length, "x.npy");

    private static DataFormatException Fails(byte[] bytes) => Assert.Throws<DataFormatException>(() => Read(bytes));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ReadsEveryHeaderVersion(int major)
    {
        var array = Read(Npy("{'descr': '<i2', 'fortran_order': False, 'shape': (2, 2), }", [1, 0, 0xFF, 0xFF, 0, 0x80, 0xFF, 0x7F], major));

        Assert.Equal([2L, 2L], array.Shape);
        Assert.Equal(new short[] { 1, -1, short.MinValue, short.MaxValue }, array.As<short>().ToArray());
    }

    [Theory]
    [InlineData("|u1", new byte[] { 200 }, 200.0)]
    [InlineData("|i1", new byte[] { 0xFE }, -2.0)]
    [InlineData("<u2", new byte[] { 0x34, 0x12 }, 0x1234)]
    [InlineData("<u4", new byte[] { 0, 0, 0, 0x80 }, 2147483648.0)]
    [InlineData("<i4", new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, -1.0)]
    [InlineData("<i8", new byte[] { 0, 0, 0, 0, 0, 0, 0, 0x80 }, -9223372036854775808.0)]
    [InlineData("<u8", new byte[] { 1, 0, 0, 0, 0, 0, 0, 0 }, 1.0)]
    [InlineData("<f2", new byte[] { 0x00, 0x3C }, 1.0)]
    [InlineData("<f4", new byte[] { 0, 0, 0xC0, 0x3F }, 1.5)]
    [InlineData("<f8", new byte[] { 0, 0, 0, 0, 0, 0, 0x04, 0xC0 }, -2.5)]
    public void ReadsLittleEndianIntegerAndFloatTypes(string descr, byte[] payload, double expected)
    {
        var array = Read(Npy($"{{'descr': '{descr}', 'fortran_order': False, 'shape': (1,), }}", payload));

        Assert.Equal([expected], array.ToDoubles());
    }

    [Fact]
    public void AScalarHasAnEmptyShapeAndOneElement()
    {
        var array = Read(Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", BitConverter.GetBytes(3.25)));

        Assert.Empty(array.Shape);
        Assert.Equal([3.25], array.ToDoubles());
    }

    [Fact]
    public void FortranOrderIsRejectedClearly()
    {
        var error = Fails(Npy("{'descr': '<u1', 'fortran_order': True, 'shape': (2, 2), }", [1, 2, 3, 4]));

        Assert.Contains("Fortran-order arrays are not supported", error.Message);
    }

    [Theory]
    [InlineData("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", "object arrays (dtype |O) are not supported")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", "dtype >f4 is not supported")]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", "dtype <c8 is not supported")]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", "structured arrays are not supported")]
    [InlineData("{'descr': '<f4', 'shape': (1,), }", "descr, fortran_order and shape are all required")]
    public void UnsupportedArraysAreRejectedWithTheReason(string header, string reason)
    {
        var error = Fails(Npy(header, new byte[8]));

        Assert.StartsWith("x.npy: ", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void AShapeLargerThanTheDataIsRejectedBeforeAllocating()
    {
        var error = Fails(Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000, 100000), }", new byte[16]));

        Assert.Contains("but only 16 follow the header", error.Message);
        Assert.NotNull(error.Offset);
    }

    [Fact]
    public void AHeaderLengthBeyondTheFileIsRejected()
    {
        var bytes = Npy("{'descr': '<u1', 'fortran_order': False, 'shape': (1,), }", [7], major: 2);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), uint.MaxValue);

        Assert.Contains("exceeds the", Fails(bytes).Message);
    }

    [Fact]
    public void ATruncatedFileNamesTheOffset()
    {
        var bytes = Npy("{'descr': '<u1', 'fortran_order': False, 'shape': (4,), }", [1, 2, 3, 4]);

        var error = Assert.Throws<DataFormatException>(() => NpyReader.Read(new MemoryStream(bytes[..^2]), bytes.Length, "x.npy"));

        Assert.Contains("truncated", error.Message);
        Assert.Equal(bytes.Length - 2, error.Offset);
    }

    [Fact]
    public void NotAnNpyFileIsRejected()
    {
        Assert.Contains("magic", Fails(Encoding.ASCII.GetBytes("PK\u0003\u0004 not npy")).Message);
    }

    [Fact]
    public void AnUnknownVersionIsRejected()
    {
        var bytes = Npy("{'descr': '<u1', 'fortran_order': False, 'shape': (1,), }", [7]);
        bytes[6] = 9;

        Assert.Contains("format version 9.0 is not supported", Fails(bytes).Message);
    }

    [Fact]
    public void TypedViewsCheckTheElementType()
    {
        var array = Read(Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]));

        Assert.Throws<InvalidOperationException>(() => array.As<int>().Length);
        Assert.Throws<InvalidOperationException>(() => array.AsBytes().Length);
    }
}
