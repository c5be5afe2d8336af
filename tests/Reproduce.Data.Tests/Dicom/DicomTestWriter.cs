using System.Buffers.Binary;
using System.IO.Compression;
using Reproduce.Data.Dicom;

namespace Reproduce.Data.Tests.Dicom;

/// <summary>
/// A tiny DICOM writer for tests: appends elements, items and delimiters in one encoding, with any length the
/// test wants (including lying ones), and wraps the result as a Part-10 file or a bare data set.
/// </summary>
public sealed class DicomTestWriter(DatasetEncoding encoding)
{
    public const uint Undefined = 0xFFFFFFFF;

    private readonly MemoryStream body = new();

    public DatasetEncoding Encoding { get; } = encoding;

    /// <summary>Where the next element will start, for asserting error offsets.</summary>
    public int Position => (int)body.Length;

    /// <summary>An element whose declared length is the value's length.</summary>
    public DicomTestWriter Element(ushort group, ushort element, string vr, byte[] value) =>
        Header(group, element, vr, (uint)value.Length).Bytes(value);

    /// <summary>An element header declaring <paramref name="length"/>, whatever follows.</summary>
    public DicomTestWriter Header(ushort group, ushort element, string vr, uint length)
    {
        Tag(group, element);
        if (!Encoding.ExplicitVr)
        {
            return UInt32(length);
        }

        body.Write(System.Text.Encoding.ASCII.GetBytes(vr));
        if (DicomVr.HasLongLength(vr))
        {
            return UInt16(0).UInt32(length);
        }

        return UInt16(checked((ushort)length));
    }

    /// <summary>Text padded to even length: UI with NUL, other VRs with a space.</summary>
    public DicomTestWriter Text(ushort group, ushort element, string vr, string value)
    {
        var text = value.Length % 2 == 0 ? value : value + (vr == "UI" ? "\0" : " ");
        return Element(group, element, vr, System.Text.Encoding.Latin1.GetBytes(text));
    }

    public DicomTestWriter Us(ushort group, ushort element, ushort value) => Element(group, element, "US", Word(value));

    public DicomTestWriter Ss(ushort group, ushort element, short value) => Element(group, element, "SS", Word((ushort)value));

    /// <summary>The image pixel module for a single-sample image, in tag order up to (but not including) the padding value.</summary>
    public DicomTestWriter Image(int rows, int columns, int bitsAllocated, int? bitsStored = null, int? highBit = null, int representation = 0, int? frames = null)
    {
        Us(0x0028, 0x0002, 1);
        Text(0x0028, 0x0004, "CS", "MONOCHROME2");
        if (frames is { } count)
        {
            Text(0x0028, 0x0008, "IS", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Us(0x0028, 0x0010, (ushort)rows);
        Us(0x0028, 0x0011, (ushort)columns);
        Us(0x0028, 0x0100, (ushort)bitsAllocated);
        Us(0x0028, 0x0101, (ushort)(bitsStored ?? bitsAllocated));
        Us(0x0028, 0x0102, (ushort)(highBit ?? ((bitsStored ?? bitsAllocated) - 1)));
        return Us(0x0028, 0x0103, (ushort)representation);
    }

    /// <summary>Native pixel data from 16-bit samples, in this writer's byte order.</summary>
    public DicomTestWriter Pixels16(params ushort[] samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            Word(samples[i]).CopyTo(bytes, 2 * i);
        }

        return Element(0x7FE0, 0x0010, "OW", bytes);
    }

    /// <summary>Encapsulated pixel data: offset table, fragments, sequence delimiter.</summary>
    public DicomTestWriter Encapsulated(uint[] offsetTable, params byte[][] fragments)
    {
        Header(0x7FE0, 0x0010, "OB", Undefined);
        var table = new byte[offsetTable.Length * 4];
        for (var i = 0; i < offsetTable.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4 * i), offsetTable[i]);
        }

        Item((uint)table.Length).Bytes(table);
        foreach (var fragment in fragments)
        {
            Item((uint)fragment.Length).Bytes(fragment);
        }

        return SequenceDelimiter();
    }

    public DicomTestWriter Item(uint length) => Tag(0xFFFE, 0xE000).UInt32(length);

    public DicomTestWriter ItemDelimiter() => Tag(0xFFFE, 0xE00D).UInt32(0);

    public DicomTestWriter SequenceDelimiter() => Tag(0xFFFE, 0xE0DD).UInt32(0);

    /// <summary>
    /// A sequence of the given item contents (each the output of another writer's <see cref="ToDataset"/>), with
    /// defined or undefined lengths for the sequence and for its items.
    /// </summary>
    public DicomTestWriter Sequence(ushort group, ushort element, bool definedLength, bool definedItems, params byte[][] items) =>
        Sequence(group, element, "SQ", definedLength, definedItems, items);

    public DicomTestWriter Sequence(ushort group, ushort element, string vr, bool definedLength, bool definedItems, params byte[][] items)
    {
        var content = new DicomTestWriter(vr == "UN" ? DatasetEncoding.ImplicitLittleEndian : Encoding);
        foreach (var item in items)
        {
            content.Item(definedItems ? (uint)item.Length : Undefined).Bytes(item);
            if (!definedItems)
            {
                content.ItemDelimiter();
            }
        }

        if (!definedLength)
        {
            // The delimiter belongs to the value, so a UN sequence's is implicit little endian too.
            content.SequenceDelimiter();
        }

        var bytes = content.ToDataset();
        return Header(group, element, vr, definedLength ? (uint)bytes.Length : Undefined).Bytes(bytes);
    }

    public DicomTestWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        body.Write(bytes);
        return this;
    }

    public DicomTestWriter Tag(ushort group, ushort element) => UInt16(group).UInt16(element);

    public DicomTestWriter UInt16(ushort value) => Bytes(Word(value));

    public DicomTestWriter UInt32(uint value)
    {
        var bytes = new byte[4];
        if (Encoding.BigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        }

        return Bytes(bytes);
    }

    public byte[] Word(ushort value)
    {
        var bytes = new byte[2];
        if (Encoding.BigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        }

        return bytes;
    }

    /// <summary>The elements written so far, without preamble or meta group.</summary>
    public byte[] ToDataset() => body.ToArray();

    /// <summary>A Part-10 file: 128-byte preamble, "DICM", an explicit VR LE meta group naming the syntax, then the data set.</summary>
    public byte[] ToFile(string transferSyntaxUid, bool deflate = false) =>
        [.. MetaGroup(transferSyntaxUid), .. deflate ? Deflate(ToDataset()) : ToDataset()];

    /// <summary>Preamble, "DICM" and a meta group (with group length) naming <paramref name="transferSyntaxUid"/>.</summary>
    public static byte[] MetaGroup(string? transferSyntaxUid, bool preamble = true)
    {
        var meta = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian)
            .Element(0x0002, 0x0001, "OB", [0, 1])
            .Text(0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.2");
        if (transferSyntaxUid is not null)
        {
            meta.Text(0x0002, 0x0010, "UI", transferSyntaxUid);
        }

        var elements = meta.ToDataset();
        var group = new DicomTestWriter(DatasetEncoding.ExplicitLittleEndian)
            .Element(0x0002, 0x0000, "UL", BitConverter.GetBytes((uint)elements.Length))
            .Bytes(elements)
            .ToDataset();
        return preamble ? [.. new byte[128], .. "DICM"u8, .. group] : group;
    }

    /// <summary>Raw deflate (RFC 1951), as the deflated transfer syntax requires.</summary>
    public static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var deflater = new DeflateStream(output, CompressionLevel.Optimal))
        {
            deflater.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>One RLE frame (PS3.5 Annex G) of little-endian samples: byte planes MSB first, each PackBits-coded.</summary>
    public static byte[] RleFrame(byte[] samples, int bytesPerSample)
    {
        var pixels = samples.Length / bytesPerSample;
        var segments = new List<byte[]>();
        for (var plane = bytesPerSample - 1; plane >= 0; plane--)
        {
            var bytes = new byte[pixels];
            for (var i = 0; i < pixels; i++)
            {
                bytes[i] = samples[(i * bytesPerSample) + plane];
            }

            segments.Add(PackBits(bytes));
        }

        var header = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)segments.Count);
        var offset = 64;
        for (var s = 0; s < segments.Count; s++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4 + (4 * s)), (uint)offset);
            offset += segments[s].Length;
        }

        return [.. header, .. segments.SelectMany(segment => segment)];
    }

    /// <summary>PackBits with both run kinds: repeats of 3 or more become replicate runs, the rest literal runs.</summary>
    public static byte[] PackBits(byte[] data)
    {
        var output = new List<byte>();
        var i = 0;
        while (i < data.Length)
        {
            var run = 1;
            while (i + run < data.Length && run < 128 && data[i + run] == data[i])
            {
                run++;
            }

            if (run >= 3)
            {
                output.Add((byte)(257 - run));
                output.Add(data[i]);
                i += run;
                continue;
            }

            var start = i;
            while (i < data.Length && i - start < 128 && !(i + 2 < data.Length && data[i] == data[i + 1] && data[i] == data[i + 2]))
            {
                i++;
            }

            output.Add((byte)(i - start - 1));
            output.AddRange(data[start..i]);
        }

        // Segments are padded to even length; decoders must ignore the pad.
        if (output.Count % 2 == 1)
        {
            output.Add(0x80);
        }

        return [.. output];
    }

    /// <summary>Little-endian bytes of 16-bit samples, the layout RLE frames are built from.</summary>
    public static byte[] LittleEndian(params short[] samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), samples[i]);
        }

        return bytes;
    }
}
