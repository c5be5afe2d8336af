using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Reproduce.Data.Dicom;

/// <summary>
/// Encodes elements of a little-endian data set (explicit or implicit VR) as PS3.5 §7.1 requires of a valid
/// file: tags strictly ascending, every value padded to even length (UI and OB with NUL, text with a space),
/// text values within their VR's length limit. Whatever breaks a rule is refused with an exception rather
/// than written, because a writer of invalid files would hide reader bugs instead of exposing them.
/// </summary>
internal sealed class DicomElementEncoder(bool explicitVr)
{
    /// <summary>Longest value (of each of a multi-value's parts) per text VR, in characters (PS3.5 Table 6.2-1).</summary>
    private static readonly FrozenDictionary<string, int> MaxTextLength = new Dictionary<string, int>
    {
        ["AE"] = 16,
        ["CS"] = 16,
        ["DA"] = 8,
        ["DS"] = 16,
        ["IS"] = 12,
        ["LO"] = 64,
        ["PN"] = 64,
        ["SH"] = 16,
        ["TM"] = 14,
        ["UI"] = DicomUid.MaxLength,
    }.ToFrozenDictionary();

    private readonly MemoryStream body = new();
    private DicomTag? last;

    /// <summary>The bytes written so far: the value of a group length, or the data set.</summary>
    public int Length => (int)body.Length;

    /// <summary>A text value; <paramref name="values"/> become one multi-valued element joined by '\'. No value writes an empty element.</summary>
    public void Text(DicomTag tag, string vr, params IReadOnlyList<string> values)
    {
        if (!MaxTextLength.TryGetValue(vr, out var limit))
        {
            throw new ArgumentException($"{vr} is not a text VR this encoder writes", nameof(vr));
        }

        foreach (var value in values)
        {
            if (value.Length > limit || value.Any(c => c == '\\' || c < ' ' || c > '~'))
            {
                throw new ArgumentException($"{tag} {vr} value '{value}' is longer than {limit} characters or holds a backslash or a character outside printable ASCII", nameof(values));
            }

            if (vr == "UI" && value.Length > 0 && !DicomUid.IsValid(value))
            {
                throw new ArgumentException($"{tag} '{value}' is not a valid UID (digits and dots, no leading zeros, at most {DicomUid.MaxLength} characters)", nameof(values));
            }
        }

        var text = string.Join('\\', values);
        var padded = text.Length % 2 == 0 ? text : text + (vr == "UI" ? '\0' : ' ');
        Element(tag, vr, Encoding.ASCII.GetBytes(padded));
    }

    /// <summary>A DS (decimal string) of one or more numbers, each in the shortest form that reads back exactly when it fits 16 characters.</summary>
    public void Decimal(DicomTag tag, params IReadOnlyList<double> values) => Text(tag, "DS", [.. values.Select(FormatDecimal)]);

    /// <summary>An IS (integer string).</summary>
    public void Integer(DicomTag tag, int value) => Text(tag, "IS", value.ToString(CultureInfo.InvariantCulture));

    public void UInt16(DicomTag tag, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        Element(tag, "US", bytes);
    }

    public void Int16(DicomTag tag, short value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteInt16LittleEndian(bytes, value);
        Element(tag, "SS", bytes);
    }

    public void UInt32(DicomTag tag, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        Element(tag, "UL", bytes);
    }

    /// <summary>An OB or OW value; an odd-length one is padded with a NUL byte.</summary>
    public void Binary(DicomTag tag, string vr, ReadOnlySpan<byte> value)
    {
        if (vr is not ("OB" or "OW"))
        {
            throw new ArgumentException($"{vr} is not a binary VR this encoder writes", nameof(vr));
        }

        if (value.Length % 2 == 0)
        {
            Element(tag, vr, value);
            return;
        }

        Element(tag, vr, [.. value, 0]);
    }

    public byte[] ToArray() => body.ToArray();

    /// <summary>The shortest text that reads back as <paramref name="value"/>, or the closest that fits the 16 characters of a DS.</summary>
    internal static string FormatDecimal(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "a DS value must be finite");
        }

        var exact = value.ToString("R", CultureInfo.InvariantCulture);
        if (exact.Length <= 16)
        {
            return exact;
        }

        for (var digits = 15; ; digits--)
        {
            var rounded = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (rounded.Length <= 16)
            {
                return rounded;
            }
        }
    }

    private void Element(DicomTag tag, string vr, ReadOnlySpan<byte> value)
    {
        if (last is { } previous && tag.CompareTo(previous) <= 0)
        {
            throw new InvalidOperationException($"element {tag} written after {previous}: a data set's elements must be in ascending tag order");
        }

        last = tag;
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], tag.Element);
        int headerLength;
        if (!explicitVr)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)value.Length);
            headerLength = 8;
        }
        else if (DicomVr.HasLongLength(vr))
        {
            header[4] = (byte)vr[0];
            header[5] = (byte)vr[1];
            header[6] = 0;
            header[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)value.Length);
            headerLength = 12;
        }
        else
        {
            header[4] = (byte)vr[0];
            header[5] = (byte)vr[1];
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], checked((ushort)value.Length));
            headerLength = 8;
        }

        body.Write(header[..headerLength]);
        body.Write(value);
    }
}
