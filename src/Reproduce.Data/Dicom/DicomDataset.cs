using System.Buffers.Binary;
using Reproduce.Core.Errors;

namespace Reproduce.Data.Dicom;

/// <summary>
/// A parsed data set (a file's, or one sequence item's): its elements by tag, with values decoded on request.
/// Getters return null when an attribute is absent or empty and throw <see cref="DataFormatException"/>
/// (naming the file, tag and byte offset) when a value is present but malformed.
/// </summary>
public sealed class DicomDataset
{
    private readonly DicomSource source;
    private readonly Dictionary<DicomTag, DicomElement> byTag;

    internal DicomDataset(DicomSource source, DatasetEncoding encoding, TransferSyntax transferSyntax, IReadOnlyList<DicomElement> elements, DicomDataset? fileMeta = null)
    {
        this.source = source;
        Encoding = encoding;
        TransferSyntax = transferSyntax;
        Elements = elements;
        FileMeta = fileMeta;
        byTag = new Dictionary<DicomTag, DicomElement>(elements.Count);
        foreach (var element in elements)
        {
            // A repeated tag is malformed; the first occurrence wins, as in dcmtk, rather than failing a whole series.
            byTag.TryAdd(element.Tag, element);
        }
    }

    public string Path => source.Path;

    /// <summary>The file's transfer syntax (items of a sequence report their file's).</summary>
    public TransferSyntax TransferSyntax { get; }

    /// <summary>How this data set's elements are written; differs from the file's inside UN sequences (CP-246).</summary>
    public DatasetEncoding Encoding { get; }

    /// <summary>The file meta group (0002,xxxx), or null for a file written without one.</summary>
    public DicomDataset? FileMeta { get; }

    /// <summary>The elements in the order they appear.</summary>
    public IReadOnlyList<DicomElement> Elements { get; }

    internal DicomSource Source => source;

    public bool Contains(DicomTag tag) => byTag.ContainsKey(tag);

    public DicomElement? Find(DicomTag tag) => byTag.GetValueOrDefault(tag);

    /// <summary>The raw value bytes of one of this data set's elements, in the data set's byte order.</summary>
    public ReadOnlySpan<byte> ValueBytes(DicomElement element) => source.Span.Slice(element.ValueOffset, element.Length);

    /// <summary>The element's VR, or for UN elements the VR the small dictionary knows for the tag.</summary>
    public static string EffectiveVr(DicomElement element) =>
        element.Vr == DicomVr.Unknown ? ImplicitVrDictionary.Lookup(element.Tag) : element.Vr;

    /// <summary>The whole value as text with its padding trimmed; null when absent or empty.</summary>
    public string? GetString(DicomTag tag)
    {
        if (Find(tag) is not { } element)
        {
            return null;
        }

        var text = Trim(Latin1(element), EffectiveVr(element));
        return text.Length == 0 ? null : text;
    }

    /// <summary>The values of a multi-valued text attribute (separated by '\'), each trimmed; empty when absent.</summary>
    public IReadOnlyList<string> GetStrings(DicomTag tag)
    {
        if (Find(tag) is not { } element || element.Length == 0)
        {
            return [];
        }

        var vr = EffectiveVr(element);
        return Latin1(element).Split('\\').Select(value => Trim(value, vr)).ToArray();
    }

    /// <summary>Value <paramref name="index"/> of a DS/IS string or a binary number (US, SS, UL, SL, FL, FD); null when absent.</summary>
    public double? GetDouble(DicomTag tag, int index = 0)
    {
        var values = GetDoubles(tag);
        return index < values.Count ? values[index] : null;
    }

    /// <summary>Every value of a numeric attribute; empty when absent or empty.</summary>
    public IReadOnlyList<double> GetDoubles(DicomTag tag)
    {
        if (Find(tag) is not { } element || element.Length == 0)
        {
            return [];
        }

        var vr = EffectiveVr(element);
        var bytes = ValueBytes(element);
        var big = Encoding.BigEndian;
        switch (vr)
        {
            case "US" or ImplicitVrDictionary.UsOrSs:
                return Binary(element, bytes, 2, b => Endian.UInt16(b, big));
            case "SS":
                return Binary(element, bytes, 2, b => (short)Endian.UInt16(b, big));
            case "UL":
                return Binary(element, bytes, 4, b => Endian.UInt32(b, big));
            case "SL":
                return Binary(element, bytes, 4, b => (int)Endian.UInt32(b, big));
            case "FL":
                return Binary(element, bytes, 4, b => big ? BinaryPrimitives.ReadSingleBigEndian(b) : BinaryPrimitives.ReadSingleLittleEndian(b));
            case "FD":
                return Binary(element, bytes, 8, b => big ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b));
            case "DS" or "IS":
                var parts = Latin1(element).Split('\\');
                if (parts.Length == 1 && parts[0].AsSpan().Trim(" \0").IsEmpty)
                {
                    return [];
                }

                var values = new double[parts.Length];
                for (var i = 0; i < parts.Length; i++)
                {
                    if (!NumericStrings.TryParseDecimal(parts[i], out values[i]))
                    {
                        throw Error(element, $"value '{parts[i].Trim(' ', '\0')}' is not a decimal number");
                    }
                }

                return values;
            default:
                throw Error(element, $"has VR {vr}, not a number");
        }
    }

    /// <summary>Value <paramref name="index"/> of an IS string or a binary integer (US, SS, UL, SL); null when absent.</summary>
    public int? GetInt(DicomTag tag, int index = 0)
    {
        if (Find(tag) is not { } element || element.Length == 0)
        {
            return null;
        }

        var vr = EffectiveVr(element);
        if (vr is "IS" or "DS")
        {
            var parts = Latin1(element).Split('\\');
            if (index >= parts.Length || parts[index].AsSpan().Trim(" \0").IsEmpty)
            {
                return null;
            }

            return NumericStrings.TryParseInteger(parts[index], out var parsed)
                ? parsed
                : throw Error(element, $"value '{parts[index].Trim(' ', '\0')}' is not an integer");
        }

        if (vr is not ("US" or "SS" or "UL" or "SL" or ImplicitVrDictionary.UsOrSs))
        {
            throw Error(element, $"has VR {vr}, not an integer");
        }

        var value = GetDouble(tag, index);
        return value switch
        {
            null => null,
            > int.MaxValue => throw Error(element, $"value {value} does not fit a 32-bit integer"),
            _ => (int)value.Value,
        };
    }

    /// <summary>
    /// The items of a sequence; empty when absent. Sequences of defined length in implicit-VR data and UN
    /// elements are parsed here, on request, since the parser could not know they were sequences.
    /// </summary>
    public IReadOnlyList<DicomDataset> GetSequence(DicomTag tag)
    {
        if (Find(tag) is not { } element)
        {
            return [];
        }

        if (element.Vr == "SQ" || element.UndefinedLength)
        {
            return element.Items;
        }

        if (element.Vr == DicomVr.Unknown)
        {
            // A sequence re-encoded as UN is implicit VR little endian inside (CP-246); so is every implicit-VR sequence.
            return new DatasetParser(source, TransferSyntax).ParseItems(element, DatasetEncoding.ImplicitLittleEndian);
        }

        throw Error(element, $"has VR {element.Vr}, not a sequence");
    }

    internal DataFormatException Error(DicomElement element, string problem) =>
        source.Error(element.Offset, $"element {element.Tag} {problem}");

    private string Latin1(DicomElement element) => System.Text.Encoding.Latin1.GetString(ValueBytes(element));

    private static string Trim(string value, string vr) =>
        DicomVr.KeepsLeadingSpaces(vr) ? value.TrimEnd(' ', '\0') : value.Trim(' ', '\0');

    private IReadOnlyList<double> Binary(DicomElement element, ReadOnlySpan<byte> bytes, int size, Func<ReadOnlySpan<byte>, double> read)
    {
        if (bytes.Length % size != 0)
        {
            throw Error(element, $"has {bytes.Length} value bytes, not a multiple of {size}");
        }

        var values = new double[bytes.Length / size];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = read(bytes.Slice(i * size, size));
        }

        return values;
    }
}
