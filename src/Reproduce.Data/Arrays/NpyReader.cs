using System.Buffers.Binary;
using System.Text;
using Reproduce.Core.Errors;

namespace Reproduce.Data.Arrays;

/// <summary>
/// Reads one .npy array (format versions 1.0, 2.0 and 3.0): little-endian integer and float dtypes
/// in C order. Fortran order, object and structured arrays and big-endian data are rejected with a
/// message naming the source. The data size is checked against what the source can hold before
/// anything is allocated.
/// </summary>
public static class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads an array from <paramref name="stream"/>, which holds at most <paramref name="available"/> bytes.</summary>
    public static NpyArray Read(Stream stream, long available, string source)
    {
        Span<byte> prefix = stackalloc byte[10];
        ReadExactly(stream, prefix[..8], source, 0);
        if (!prefix[..6].SequenceEqual(Magic))
        {
            throw new DataFormatException(source, "not a NumPy .npy array (magic \\x93NUMPY missing)", 0);
        }

        var major = prefix[6];
        int headerLength;
        long dataOffset;
        if (major == 1)
        {
            ReadExactly(stream, prefix[8..10], source, 8);
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..10]);
            dataOffset = 10 + headerLength;
        }
        else if (major is 2 or 3)
        {
            Span<byte> length = stackalloc byte[4];
            ReadExactly(stream, length, source, 8);
            var claimed = BinaryPrimitives.ReadUInt32LittleEndian(length);
            if (claimed > available - 12)
            {
                throw new DataFormatException(source, $"header length {claimed} exceeds the {available} bytes available", 8);
            }

            headerLength = (int)claimed;
            dataOffset = 12 + headerLength;
        }
        else
        {
            throw new DataFormatException(source, $".npy format version {major}.{prefix[7]} is not supported (1.0, 2.0 and 3.0 are)", 6);
        }

        if (dataOffset > available)
        {
            throw new DataFormatException(source, $"header length {headerLength} exceeds the {available} bytes available", 8);
        }

        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, source, dataOffset - headerLength);
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var (dtype, fortranOrder, shape) = NpyHeader.Parse(header, source);
        if (fortranOrder)
        {
            throw new DataFormatException(source, "Fortran-order arrays are not supported (save with C order, e.g. np.ascontiguousarray)");
        }

        var count = 1L;
        foreach (var dimension in shape)
        {
            count = dimension == 0 ? 0 : count <= long.MaxValue / Math.Max(1, dimension) ? count * dimension : long.MaxValue;
        }

        var size = count > long.MaxValue / dtype.ItemSize ? long.MaxValue : count * dtype.ItemSize;
        if (size > available - dataOffset)
        {
            throw new DataFormatException(source, $"shape ({string.Join(", ", shape)}) of {dtype} needs {size} bytes, but only {available - dataOffset} follow the header", dataOffset);
        }

        if (size > Array.MaxLength)
        {
            throw new DataFormatException(source, $"an array of {size} bytes is larger than one .NET array can hold", dataOffset);
        }

        var data = new byte[size];
        ReadExactly(stream, data, source, dataOffset);
        return new NpyArray(dtype, shape, data);
    }

    public static NpyArray Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, stream.Length, path);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string source, long offset)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                throw new DataFormatException(source, $"truncated: {buffer.Length - total} of {buffer.Length} bytes missing", offset + total);
            }

            total += read;
        }
    }
}
