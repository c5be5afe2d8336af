using System.Buffers.Binary;
using Google.Protobuf;

namespace Reproduce.Learning.Tests.Runtime;

/// <summary>One event of a TensorBoard event file: its step, the file version (first event only) and its simple scalars.</summary>
internal sealed record TensorBoardEvent(double WallTime, long Step, string? FileVersion, IReadOnlyList<(string Tag, float Value)> Scalars);

/// <summary>
/// A reader of TensorBoard's event files written independently of TorchSharp's writer, so the tests check the format
/// TensorBoard reads rather than the writer against itself. Each record is the data length as a little-endian uint64,
/// the masked CRC32C of those 8 bytes, the data (a serialised <c>tensorboard.Event</c>) and the masked CRC32C of the data.
/// </summary>
internal static class TensorBoardEventFile
{
    public static List<TensorBoardEvent> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<TensorBoardEvent>();
        var at = 0;
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 12)
            {
                throw new InvalidDataException($"{path}: a record header is cut off at byte {at}");
            }

            var lengthBytes = bytes.AsSpan(at, 8);
            var length = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            CheckCrc(path, at, "length", lengthBytes, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8, 4)));
            at += 12;
            if ((ulong)(bytes.Length - at) < length + 4)
            {
                throw new InvalidDataException($"{path}: a record of {length} bytes is cut off at byte {at}");
            }

            var data = bytes.AsSpan(at, (int)length);
            CheckCrc(path, at, "data", data, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + (int)length, 4)));
            events.Add(ParseEvent(data.ToArray()));
            at += (int)length + 4;
        }

        return events;
    }

    /// <summary>CRC-32C (Castagnoli): the reflected polynomial 0x82F63B78, initial value and final xor all ones.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>TensorBoard's (TFRecord's) masking: rotate right by 15 bits and add a constant.</summary>
    public static uint Masked(uint crc) => unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8u);

    private static void CheckCrc(string path, int at, string what, ReadOnlySpan<byte> span, uint stored)
    {
        var expected = Masked(Crc32C(span));
        if (stored != expected)
        {
            throw new InvalidDataException($"{path}: the {what} CRC at byte {at} is {stored:x8}, not {expected:x8}");
        }
    }

    /// <summary><c>Event</c>: wall_time = 1 (double), step = 2 (int64), file_version = 3 (string), summary = 5.</summary>
    private static TensorBoardEvent ParseEvent(byte[] data)
    {
        var input = new CodedInputStream(data);
        var (wallTime, step, fileVersion, scalars) = (0.0, 0L, (string?)null, new List<(string, float)>());
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: wallTime = input.ReadDouble(); break;
                case 2: step = input.ReadInt64(); break;
                case 3: fileVersion = input.ReadString(); break;
                case 5: scalars.AddRange(ParseSummary(input.ReadBytes())); break;
                default: input.SkipLastField(); break;
            }
        }

        return new TensorBoardEvent(wallTime, step, fileVersion, scalars);
    }

    /// <summary><c>Summary</c>: repeated value = 1, each with tag = 1 (string) and simple_value = 2 (float).</summary>
    private static IEnumerable<(string Tag, float Value)> ParseSummary(ByteString summary)
    {
        var input = summary.CreateCodedInput();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) != 1)
            {
                input.SkipLastField();
                continue;
            }

            var value = input.ReadBytes().CreateCodedInput();
            var (name, scalar) = (string.Empty, float.NaN);
            for (var field = value.ReadTag(); field != 0; field = value.ReadTag())
            {
                switch (WireFormat.GetTagFieldNumber(field))
                {
                    case 1: name = value.ReadString(); break;
                    case 2: scalar = value.ReadFloat(); break;
                    default: value.SkipLastField(); break;
                }
            }

            yield return (name, scalar);
        }
    }
}
