using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Reproduce.Data.Dicom;

/// <summary>
/// Turns raw samples into stored values: masked to BitsStored, shifted down from HighBit, and sign-extended
/// when PixelRepresentation is 1. Allocation-free; 16-bit samples in the machine's byte order (every CT
/// in practice) are vectorised. The loops are compiled fully optimised from the first call: a slice
/// is one call, and a run of a few thousand would otherwise spend itself in the unoptimised tiers.
/// </summary>
internal static class PixelUnpacker
{
    /// <param name="source">All pixel bytes of the element (or one frame).</param>
    /// <param name="firstSample">Index of the first sample to unpack within <paramref name="source"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Unpack(ReadOnlySpan<byte> source, long firstSample, Span<int> destination, PixelLayout layout)
    {
        var count = destination.Length;
        var shift = layout.Shift;
        var mask = (1 << layout.BitsStored) - 1;
        var extend = 32 - layout.BitsStored;
        if (layout.BytesPerSample == 1)
        {
            if (layout.SwapBytePairs)
            {
                for (var i = 0; i < count; i++)
                {
                    destination[i] = Convert(source[(int)((firstSample + i) ^ 1)], shift, mask, extend, layout.Signed);
                }

                return;
            }

            var bytes = source.Slice((int)firstSample, count);
            for (var i = 0; i < count; i++)
            {
                destination[i] = Convert(bytes[i], shift, mask, extend, layout.Signed);
            }

            return;
        }

        var words = source.Slice((int)(firstSample * 2), count * 2);
        if (layout.BigEndian != BitConverter.IsLittleEndian)
        {
            if (!layout.IsFull16)
            {
                WidenField(MemoryMarshal.Cast<byte, ushort>(words), destination, shift, mask, extend, layout.Signed);
            }
            else if (layout.Signed)
            {
                Widen(MemoryMarshal.Cast<byte, short>(words), destination);
            }
            else
            {
                Widen(MemoryMarshal.Cast<byte, ushort>(words), destination);
            }

            return;
        }

        for (var i = 0; i < count; i++)
        {
            var raw = layout.BigEndian
                ? BinaryPrimitives.ReadUInt16BigEndian(words[(2 * i)..])
                : BinaryPrimitives.ReadUInt16LittleEndian(words[(2 * i)..]);
            destination[i] = Convert(raw, shift, mask, extend, layout.Signed);
        }
    }

    private static int Convert(int raw, int shift, int mask, int extend, bool signed)
    {
        var value = (raw >> shift) & mask;
        // Shifting the top stored bit into bit 31 and back copies it into every higher bit.
        return signed ? (value << extend) >> extend : value;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Widen(ReadOnlySpan<short> source, Span<int> destination)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vectors = MemoryMarshal.Cast<short, Vector<short>>(source);
            var outputs = MemoryMarshal.Cast<int, Vector<int>>(destination);
            for (var v = 0; v < vectors.Length; v++)
            {
                Vector.Widen(vectors[v], out outputs[2 * v], out outputs[(2 * v) + 1]);
            }

            i = vectors.Length * Vector<short>.Count;
        }

        for (; i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Widen(ReadOnlySpan<ushort> source, Span<int> destination)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vectors = MemoryMarshal.Cast<ushort, Vector<ushort>>(source);
            var outputs = MemoryMarshal.Cast<int, Vector<uint>>(destination);
            for (var v = 0; v < vectors.Length; v++)
            {
                Vector.Widen(vectors[v], out outputs[2 * v], out outputs[(2 * v) + 1]);
            }

            i = vectors.Length * Vector<ushort>.Count;
        }

        for (; i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }

    /// <summary><see cref="Convert"/> for every sample, a vector at a time: 12-bit data in 16-bit samples and the like.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WidenField(ReadOnlySpan<ushort> source, Span<int> destination, int shift, int mask, int extend, bool signed)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var masks = new Vector<int>(mask);
            var vectors = MemoryMarshal.Cast<ushort, Vector<ushort>>(source);
            var outputs = MemoryMarshal.Cast<int, Vector<int>>(destination);
            for (var v = 0; v < vectors.Length; v++)
            {
                Vector.Widen(vectors[v], out var low, out var high);
                outputs[2 * v] = Field(Vector.AsVectorInt32(low));
                outputs[(2 * v) + 1] = Field(Vector.AsVectorInt32(high));
            }

            i = vectors.Length * Vector<ushort>.Count;

            Vector<int> Field(Vector<int> raw)
            {
                var value = Vector.ShiftRightLogical(raw, shift) & masks;
                return signed ? Vector.ShiftRightArithmetic(Vector.ShiftLeft(value, extend), extend) : value;
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = Convert(source[i], shift, mask, extend, signed);
        }
    }
}
