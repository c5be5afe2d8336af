using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Reproduce.Data.Arrays;

/// <summary>
/// Writes 2-D float32 arrays as NumPy .npy files (format 1.0, '&lt;f4', C order), the way numpy.save does,
/// so `reproduce inspect --npy` output loads with numpy.load and compares bit for bit with pydicom's.
/// </summary>
public static class NpyWriter
{
    // 0x93 then "NUMPY": a raw byte, which a "\x93" string literal would turn into two UTF-8 bytes.
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>numpy aligns the data to 64 bytes so it can be memory-mapped; match it byte for byte.</summary>
    private const int Alignment = 64;

    public static void WriteFloat32(string path, int rows, int columns, ReadOnlySpan<float> values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if ((long)rows * columns != values.Length)
        {
            throw new ArgumentException($"{values.Length} values do not fill a {rows} × {columns} array", nameof(values));
        }

        var header = Header(rows, columns);
        // Written beside the target and renamed, so a reader never sees half a file.
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(header);
                var buffer = new byte[4 * Math.Min(values.Length, 16384)];
                for (var start = 0; start < values.Length; start += buffer.Length / 4)
                {
                    var chunk = values.Slice(start, Math.Min(buffer.Length / 4, values.Length - start));
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(4 * i), chunk[i]);
                    }

                    stream.Write(buffer, 0, 4 * chunk.Length);
                }
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Magic, version 1.0, header length (uint16 LE), then the dict padded with spaces and ended by '\n'.</summary>
    internal static byte[] Header(int rows, int columns)
    {
        var dictionary = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}");
        var unpadded = Magic.Length + 2 + 2 + dictionary.Length + 1;
        var padding = (Alignment - (unpadded % Alignment)) % Alignment;
        var text = dictionary + new string(' ', padding) + "\n";
        var header = new byte[Magic.Length + 4 + text.Length];
        Magic.CopyTo(header);
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)text.Length);
        Encoding.ASCII.GetBytes(text, header.AsSpan(10));
        return header;
    }
}
