using System.Buffers.Binary;

namespace Reproduce.Data.Dicom;

/// <summary>Fixed-size reads in either byte order; callers have checked the span is long enough.</summary>
internal static class Endian
{
    public static ushort UInt16(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);

    public static uint UInt32(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    public static DicomTag Tag(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        new(UInt16(bytes, bigEndian), UInt16(bytes[2..], bigEndian));
}
