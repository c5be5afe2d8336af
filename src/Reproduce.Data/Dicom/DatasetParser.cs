using System.Buffers.Binary;

namespace Reproduce.Data.Dicom;

/// <summary>
/// Walks the elements of a data set, checking every length against the bytes that remain before it trusts it:
/// a lying or truncated file fails with the byte offset and the cause, never with a huge allocation or a read
/// past the end. Values are not copied; elements record where they are (see <see cref="DicomElement"/>).
/// </summary>
internal sealed class DatasetParser(DicomSource source, TransferSyntax syntax)
{
    /// <summary>Real files nest sequences a handful of levels deep; the cap keeps hostile nesting off the stack's limit.</summary>
    public const int MaxDepth = 64;

    private const uint UndefinedLength = 0xFFFFFFFF;

    public DicomDataset ParseDataset(int start, DatasetEncoding encoding, DicomDataset? fileMeta)
    {
        var elements = new List<DicomElement>();
        ParseElements(start, source.Length, encoding, depth: 0, closingItemOffset: null, elements);
        return new DicomDataset(source, encoding, syntax, elements, fileMeta);
    }

    /// <summary>
    /// Reads the file meta group from <paramref name="start"/>: explicit VR LE elements for as long as the group is
    /// 0002. The group length is not trusted for this, since writers get it wrong; the group number cannot lie.
    /// </summary>
    public (DicomDataset Meta, int End) ParseMetaGroup(int start)
    {
        var span = source.Span;
        var elements = new List<DicomElement>();
        var position = start;
        while (source.Length - position >= 4 && BinaryPrimitives.ReadUInt16LittleEndian(span[position..]) == 0x0002)
        {
            elements.Add(ReadElement(position, source.Length, DatasetEncoding.ExplicitLittleEndian, depth: 0, out position));
        }

        return (new DicomDataset(source, DatasetEncoding.ExplicitLittleEndian, TransferSyntax.ExplicitVrLittleEndian, elements), position);
    }

    /// <summary>The items inside the defined-length value of <paramref name="element"/>, read with <paramref name="encoding"/>.</summary>
    public IReadOnlyList<DicomDataset> ParseItems(DicomElement element, DatasetEncoding encoding) =>
        ReadItems(element.Tag, element.Offset, element.ValueOffset, element.ValueOffset + element.Length, definedLength: true, encoding, depth: 1, out _, out _);

    /// <summary>Parses elements from <paramref name="position"/> until <paramref name="end"/>, or until an item delimiter when in an undefined-length item.</summary>
    private int ParseElements(int position, int end, DatasetEncoding encoding, int depth, int? closingItemOffset, List<DicomElement> into)
    {
        var span = source.Span;
        while (position < end)
        {
            if (closingItemOffset is not null && end - position >= 8 && Endian.Tag(span[position..], encoding.BigEndian) == DicomTags.ItemDelimitation)
            {
                return position + 8;
            }

            into.Add(ReadElement(position, end, encoding, depth, out position));
        }

        if (closingItemOffset is { } itemOffset)
        {
            throw source.Error(itemOffset, $"an item of undefined length is never closed: {DescribeEnd(end)} comes before its item delimitation item (FFFE,E00D)");
        }

        return position;
    }

    private DicomElement ReadElement(int position, int end, DatasetEncoding encoding, int depth, out int next)
    {
        var header = ReadHeader(position, end, encoding);
        if (header.Tag.Group == 0xFFFE)
        {
            throw source.Error(position, $"found {Describe(header.Tag)} {header.Tag} where a data element should be");
        }

        if (header.Length == UndefinedLength)
        {
            if (header.Tag == DicomTags.PixelData)
            {
                var pixels = ReadEncapsulated(position, header.ValueOffset, end, encoding, out next, out var pixelsEnd);
                return new DicomElement(header.Tag, header.Vr, position, header.ValueOffset, pixelsEnd - header.ValueOffset, UndefinedLength: true) { Encapsulated = pixels };
            }

            if (encoding.ExplicitVr && header.Vr is not ("SQ" or "UN"))
            {
                throw source.Error(position, $"element {header.Tag} with VR {header.Vr} has undefined length, which only sequences and pixel data may have");
            }

            // CP-246: a sequence written with VR UN is implicit VR little endian inside, whatever the file's encoding.
            var itemEncoding = encoding.ExplicitVr && header.Vr == "UN" ? DatasetEncoding.ImplicitLittleEndian : encoding;
            var items = ReadItems(header.Tag, position, header.ValueOffset, end, definedLength: false, itemEncoding, depth + 1, out next, out var contentEnd);
            var vr = encoding.ExplicitVr ? header.Vr : "SQ";
            return new DicomElement(header.Tag, vr, position, header.ValueOffset, contentEnd - header.ValueOffset, UndefinedLength: true) { Items = items };
        }

        CheckFits(position, $"element {header.Tag} {header.Vr}", header.ValueOffset, header.Length, end);
        next = header.ValueOffset + (int)header.Length;
        var sequenceItems = encoding.ExplicitVr && header.Vr == "SQ"
            ? ReadItems(header.Tag, position, header.ValueOffset, next, definedLength: true, encoding, depth + 1, out _, out _)
            : [];
        return new DicomElement(header.Tag, header.Vr, position, header.ValueOffset, (int)header.Length) { Items = sequenceItems };
    }

    private IReadOnlyList<DicomDataset> ReadItems(DicomTag sequence, int sequenceOffset, int position, int end, bool definedLength, DatasetEncoding encoding, int depth, out int next, out int contentEnd)
    {
        if (depth > MaxDepth)
        {
            throw source.Error(sequenceOffset, $"sequence {sequence} is nested more than {MaxDepth} levels deep");
        }

        var items = new List<DicomDataset>();
        while (true)
        {
            if (position >= end)
            {
                if (definedLength)
                {
                    next = contentEnd = position;
                    return items;
                }

                throw source.Error(sequenceOffset, $"sequence {sequence} of undefined length is never closed: {DescribeEnd(end)} comes before its sequence delimitation item (FFFE,E0DD)");
            }

            var header = ReadItemHeader(position, end, encoding);
            if (header.Tag == DicomTags.SequenceDelimitation)
            {
                if (definedLength)
                {
                    throw source.Error(position, $"sequence {sequence} has a defined length but holds a sequence delimitation item");
                }

                next = position + 8;
                contentEnd = position;
                return items;
            }

            if (header.Tag != DicomTags.Item)
            {
                throw source.Error(position, $"sequence {sequence} holds {header.Tag} where an item (FFFE,E000) or the sequence's end should be");
            }

            var elements = new List<DicomElement>();
            if (header.Length == UndefinedLength)
            {
                position = ParseElements(header.ValueOffset, end, encoding, depth, closingItemOffset: position, elements);
            }
            else
            {
                CheckFits(position, $"an item of sequence {sequence}", header.ValueOffset, header.Length, end);
                var itemEnd = header.ValueOffset + (int)header.Length;
                ParseElements(header.ValueOffset, itemEnd, encoding, depth, closingItemOffset: null, elements);
                position = itemEnd;
            }

            items.Add(new DicomDataset(source, encoding, syntax, elements));
        }
    }

    /// <summary>Encapsulated pixel data: a Basic Offset Table item, fragment items, then a sequence delimiter (PS3.5 §A.4).</summary>
    private EncapsulatedPixelData ReadEncapsulated(int elementOffset, int position, int end, DatasetEncoding encoding, out int next, out int contentEnd)
    {
        var span = source.Span;
        uint[]? offsetTable = null;
        var fragments = new List<PixelFragment>();
        while (true)
        {
            if (position >= end)
            {
                throw source.Error(elementOffset, $"encapsulated pixel data is never closed: {DescribeEnd(end)} comes before its sequence delimitation item (FFFE,E0DD)");
            }

            var header = ReadItemHeader(position, end, encoding);
            if (header.Tag == DicomTags.SequenceDelimitation)
            {
                if (offsetTable is null)
                {
                    throw source.Error(position, "encapsulated pixel data ends before its basic offset table item");
                }

                next = position + 8;
                contentEnd = position;
                return new EncapsulatedPixelData(offsetTable, fragments);
            }

            if (header.Tag != DicomTags.Item)
            {
                throw source.Error(position, $"encapsulated pixel data holds {header.Tag} where a fragment item (FFFE,E000) should be");
            }

            if (header.Length == UndefinedLength)
            {
                throw source.Error(position, "a pixel data fragment has undefined length");
            }

            CheckFits(position, "a pixel data fragment", header.ValueOffset, header.Length, end);
            var length = (int)header.Length;
            if (offsetTable is null)
            {
                if (length % 4 != 0)
                {
                    throw source.Error(position, $"the basic offset table has {length} bytes, not a multiple of 4");
                }

                offsetTable = new uint[length / 4];
                for (var i = 0; i < offsetTable.Length; i++)
                {
                    // Offset table entries are little endian: encapsulated syntaxes are all little endian.
                    offsetTable[i] = BinaryPrimitives.ReadUInt32LittleEndian(span[(header.ValueOffset + (4 * i))..]);
                }
            }
            else
            {
                fragments.Add(new PixelFragment(header.ValueOffset, length));
            }

            position = header.ValueOffset + length;
        }
    }

    private ElementHeader ReadHeader(int position, int end, DatasetEncoding encoding)
    {
        var span = source.Span;
        NeedHeader(position, end, 8);
        var tag = Endian.Tag(span[position..], encoding.BigEndian);
        if (tag.Group == 0xFFFE || !encoding.ExplicitVr)
        {
            // Items and delimiters never carry a VR, not even in explicit-VR data.
            var vr = tag.Group == 0xFFFE ? "" : ImplicitVrDictionary.Lookup(tag);
            return new ElementHeader(tag, vr, position + 8, Endian.UInt32(span[(position + 4)..], encoding.BigEndian));
        }

        if (!DicomVr.TryParse(span[position + 4], span[position + 5], out var explicitVr))
        {
            throw source.Error(position, $"element {tag} has VR bytes 0x{span[position + 4]:X2} 0x{span[position + 5]:X2}, which spell no VR: the data is not {encoding} or is corrupt");
        }

        if (!DicomVr.HasLongLength(explicitVr))
        {
            return new ElementHeader(tag, explicitVr, position + 8, Endian.UInt16(span[(position + 6)..], encoding.BigEndian));
        }

        NeedHeader(position, end, 12);
        return new ElementHeader(tag, explicitVr, position + 12, Endian.UInt32(span[(position + 8)..], encoding.BigEndian));
    }

    private ElementHeader ReadItemHeader(int position, int end, DatasetEncoding encoding)
    {
        NeedHeader(position, end, 8);
        var span = source.Span[position..];
        return new ElementHeader(Endian.Tag(span, encoding.BigEndian), "", position + 8, Endian.UInt32(span[4..], encoding.BigEndian));
    }

    private void NeedHeader(int position, int end, int size)
    {
        if (end - position < size)
        {
            throw source.Error(position, $"only {end - position} bytes remain before {DescribeEnd(end)}, too few for a {size}-byte element header");
        }
    }

    private void CheckFits(int headerOffset, string what, int valueOffset, uint length, int end)
    {
        var remaining = end - valueOffset;
        if (length > (uint)remaining)
        {
            throw source.Error(headerOffset, $"{what} declares a value length of {length} bytes, but only {remaining} bytes remain before {DescribeEnd(end)}");
        }
    }

    private string DescribeEnd(int end) =>
        end == source.Length ? $"the end of the data (byte {end})" : $"byte {end}, where the enclosing item or sequence ends";

    private static string Describe(DicomTag tag) =>
        tag == DicomTags.Item ? "an item"
        : tag == DicomTags.ItemDelimitation ? "an item delimitation item"
        : tag == DicomTags.SequenceDelimitation ? "a sequence delimitation item"
        : "a delimiter";

    private readonly record struct ElementHeader(DicomTag Tag, string Vr, int ValueOffset, uint Length);
}
