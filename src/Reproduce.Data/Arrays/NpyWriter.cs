using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Reproduce.Core.IO;

namespace Reproduce.Data.Arrays;

/// <summary>
/// Writes arrays as NumPy .npy files (format 1.0, C order) byte for byte as numpy.save does, so
/// `reproduce inspect --npy` output loads with numpy.load and compares bit for bit with pydicom's, and
/// the synthetic MedMNIST stand-in's members are what a real .npz holds.
/// </summary>
public static class NpyWriter
{
    // 0x93 then "NUMPY": a raw byte, which a "\x93" string literal would turn into two UTF-8 bytes.
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>numpy aligns the data to 64 bytes so it can be memory-mapped; match it byte for byte.</summary>
    private const int Alignment = 64;

    /// <summary>Writes a rows × columns float32 array; the file is written beside <paramref name="path"/> and renamed into place.</summary>
    public static void WriteFloat32(string path, int rows, int columns, ReadOnlySpan<float> values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        Write(path, NpyArray.Float32([rows, columns], values));
    }

    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/>, beside it first and then renamed, so a reader never sees half a file.</summary>
    public static void Write(string path, NpyArray array) => AtomicFile.Write(path, stream => Write(stream, array));

    /// <summary>Writes the header and data of <paramref name="array"/> at the stream's position (e.g. into an .npz member).</summary>
    public static void Write(Stream stream, NpyArray array)
    {
        stream.Write(Header(array.DType, array.Shape));
        stream.Write(array.Bytes);
    }

    /// <summary>Magic, version 1.0, header length (uint16 LE), then the dict padded with spaces and ended by '\n'.</summary>
    internal static byte[] Header(NpyDType dtype, IReadOnlyList<long> shape)
    {
        // Python's tuple syntax: a one-element tuple keeps its trailing comma, "(5,)".
        var dimensions = shape.Count == 1
            ? string.Create(CultureInfo.InvariantCulture, $"{shape[0]},")
            : string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        var dictionary = $"{{'descr': '{dtype.Descriptor}', 'fortran_order': False, 'shape': ({dimensions}), }}";
        var unpadded = Magic.Length + 2 + 2 + dictionary.Length + 1;
        var padding = (Alignment - (unpadded % Alignment)) % Alignment;
        var text = dictionary + new string(' ', padding) + "\n";
        var header = new byte[Magic.Length + 4 + text.Length];
        Magic.CopyTo(header);
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), checked((ushort)text.Length));
        Encoding.ASCII.GetBytes(text, header.AsSpan(10));
        return header;
    }
}
