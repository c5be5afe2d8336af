using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Reproduce.Data.Arrays;

/// <summary>
/// A NumPy array as stored in a .npy file: its dtype (little-endian integer or float), its shape
/// in C order, and its raw little-endian bytes.
/// </summary>
public sealed class NpyArray
{
    internal NpyArray(NpyDType dtype, IReadOnlyList<long> shape, byte[] data)
    {
        DType = dtype;
        Shape = shape;
        this.data = data;
    }

    private readonly byte[] data;

    public NpyDType DType { get; }

    public IReadOnlyList<long> Shape { get; }

    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The raw bytes, little-endian, C order.</summary>
    public ReadOnlySpan<byte> Bytes => data;

    /// <summary>The elements of a uint8 array, without a copy.</summary>
    public ReadOnlySpan<byte> AsBytes()
    {
        Require(NpyKind.Unsigned, 1);
        return data;
    }

    /// <summary>Every element converted to double (exact for all integers up to 2^53 and all floats).</summary>
    public double[] ToDoubles()
    {
        var values = new double[Count];
        var size = DType.ItemSize;
        for (var i = 0; i < values.Length; i++)
        {
            var item = data.AsSpan(i * size, size);
            values[i] = (DType.Kind, size) switch
            {
                (NpyKind.Unsigned, 1) => item[0],
                (NpyKind.Unsigned, 2) => BinaryPrimitives.ReadUInt16LittleEndian(item),
                (NpyKind.Unsigned, 4) => BinaryPrimitives.ReadUInt32LittleEndian(item),
                (NpyKind.Unsigned, 8) => BinaryPrimitives.ReadUInt64LittleEndian(item),
                (NpyKind.Signed, 1) => (sbyte)item[0],
                (NpyKind.Signed, 2) => BinaryPrimitives.ReadInt16LittleEndian(item),
                (NpyKind.Signed, 4) => BinaryPrimitives.ReadInt32LittleEndian(item),
                (NpyKind.Signed, 8) => BinaryPrimitives.ReadInt64LittleEndian(item),
                (NpyKind.Float, 2) => (double)BinaryPrimitives.ReadHalfLittleEndian(item),
                (NpyKind.Float, 4) => BinaryPrimitives.ReadSingleLittleEndian(item),
                (NpyKind.Float, 8) => BinaryPrimitives.ReadDoubleLittleEndian(item),
                _ => throw new InvalidOperationException($"unhandled dtype {DType}"),
            };
        }

        return values;
    }

    /// <summary>The elements of a little-endian array of exactly type <typeparamref name="T"/>, without a copy.</summary>
    public ReadOnlySpan<T> As<T>()
        where T : unmanaged
    {
        var expected = default(T) switch
        {
            byte => (NpyKind.Unsigned, 1),
            sbyte => (NpyKind.Signed, 1),
            short => (NpyKind.Signed, 2),
            ushort => (NpyKind.Unsigned, 2),
            int => (NpyKind.Signed, 4),
            uint => (NpyKind.Unsigned, 4),
            long => (NpyKind.Signed, 8),
            ulong => (NpyKind.Unsigned, 8),
            float => (NpyKind.Float, 4),
            double => (NpyKind.Float, 8),
            _ => throw new NotSupportedException($"{typeof(T).Name} is not a NumPy element type"),
        };
        Require(expected.Item1, expected.Item2);
        // The dtype is little-endian and so is every platform .NET runs this suite on.
        return MemoryMarshal.Cast<byte, T>(data);
    }

    private void Require(NpyKind kind, int size)
    {
        if (DType.Kind != kind || DType.ItemSize != size)
        {
            throw new InvalidOperationException($"the array is {DType}, not {kind.ToString().ToLowerInvariant()}{size * 8}");
        }
    }
}
