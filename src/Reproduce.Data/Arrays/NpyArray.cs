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

    /// <summary>A uint8 array of <paramref name="shape"/> (C order) holding a copy of <paramref name="values"/>.</summary>
    public static NpyArray UInt8(IReadOnlyList<long> shape, ReadOnlySpan<byte> values) => Create(NpyDType.UInt8, shape, values);

    /// <summary>A little-endian float32 array of <paramref name="shape"/> (C order) holding a copy of <paramref name="values"/>.</summary>
    public static NpyArray Float32(IReadOnlyList<long> shape, ReadOnlySpan<float> values) =>
        // Little-endian like every platform this suite runs on (see As<T>), so these are the bytes numpy writes.
        Create(NpyDType.Float32, shape, MemoryMarshal.AsBytes(values));

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

    private static NpyArray Create(NpyDType dtype, IReadOnlyList<long> shape, ReadOnlySpan<byte> bytes)
    {
        if (shape.Any(dimension => dimension < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"shape ({string.Join(", ", shape)}) has a negative dimension");
        }

        // In double so that no shape can overflow; any product that matches a span's length is exact.
        var count = shape.Aggregate(1.0, (a, b) => a * b);
        if (count * dtype.ItemSize != bytes.Length)
        {
            throw new ArgumentException($"{bytes.Length / dtype.ItemSize} values do not fill an array of shape ({string.Join(", ", shape)})", nameof(shape));
        }

        return new NpyArray(dtype, [.. shape], bytes.ToArray());
    }

    private void Require(NpyKind kind, int size)
    {
        if (DType.Kind != kind || DType.ItemSize != size)
        {
            throw new InvalidOperationException($"the array is {DType}, not {kind.ToString().ToLowerInvariant()}{size * 8}");
        }
    }
}
