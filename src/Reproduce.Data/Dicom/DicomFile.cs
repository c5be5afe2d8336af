using Reproduce.Core.Errors;
using Reproduce.Core.IO;

namespace Reproduce.Data.Dicom;

/// <summary>
/// Reads DICOM Part-10 files, and bare data sets without preamble or meta group, into a <see cref="DicomDataset"/>.
/// Supported encodings: implicit VR LE, explicit VR LE and BE, deflated explicit VR LE; any transfer syntax whose
/// data set is explicit VR LE parses, whether or not <see cref="DicomImage"/> can decode its pixels.
/// </summary>
public static class DicomFile
{
    /// <summary>
    /// The largest DICOM file read, and the most its deflated data set may inflate to: a CT slice is about half a
    /// megabyte, and the largest single-frame images (digital mammography) stay well under this.
    /// </summary>
    public const int MaxBytes = 64 << 20;

    private const int PreambleLength = 128;

    /// <summary>The bytes that tell a Part-10 file: a 128-byte preamble and "DICM".</summary>
    internal const int PrefixLength = PreambleLength + 4;

    public static DicomDataset Read(string path) => Read(ReadAllBytes(path, length => GC.AllocateUninitializedArray<byte>(length)), path);

    /// <param name="path">Named in error messages; the bytes are not read from it.</param>
    public static DicomDataset Read(ReadOnlyMemory<byte> bytes, string path)
    {
        var file = new DicomSource(path, bytes);
        var metaStart = FindMetaGroup(file.Span);
        DicomDataset? meta = null;
        var dataStart = metaStart ?? 0;
        if (metaStart is { } start)
        {
            var parsed = new DatasetParser(file, TransferSyntax.ExplicitVrLittleEndian).ParseMetaGroup(start);
            meta = parsed.Meta.Elements.Count > 0 ? parsed.Meta : null;
            dataStart = parsed.End;
        }

        var uid = meta?.GetString(DicomTags.TransferSyntaxUid);
        // A missing meta group or transfer syntax leaves only the content to tell the encoding (DATASETS.md §B2.1–2).
        var syntax = uid is null ? Sniff(file.Span[dataStart..]) : TransferSyntax.Lookup(uid);
        if (!syntax.IsKnown)
        {
            throw new DataFormatException(path, $"transfer syntax {syntax.Uid} ({syntax.Name}) is not supported: its data set encoding is unknown to this reader");
        }

        var source = file;
        if (syntax.Deflated)
        {
            source = new DicomSource(path, DeflatedData.Inflate(file, dataStart), inflatedFrom: dataStart);
            dataStart = 0;
        }

        return new DatasetParser(source, syntax).ParseDataset(dataStart, syntax.Encoding, meta);
    }

    /// <summary>
    /// The whole file in an array from <paramref name="allocate"/>, which may return a longer one (a
    /// pooled buffer). Callers pass uninitialised or rented arrays: a slice is half a megabyte, and
    /// zeroing it before overwriting it costs as much as reading it (File.ReadAllBytes zeroes).
    /// </summary>
    internal static ReadOnlyMemory<byte> ReadAllBytes(string path, Func<int, byte[]> allocate)
    {
        BoundedFile.RequireRegular(path, problem => new DataFormatException(path, problem));
        using var handle = File.OpenHandle(path);
        var length = RandomAccess.GetLength(handle);
        if (length > MaxBytes)
        {
            throw new DataFormatException(path, $"{length:N0} bytes, more than the {MaxBytes:N0} a DICOM file (or its inflated data set) may have");
        }

        var bytes = allocate((int)length);
        var read = 0;
        while (read < length)
        {
            var count = RandomAccess.Read(handle, bytes.AsSpan(read, (int)length - read), read);
            if (count == 0)
            {
                throw new DataFormatException(path, $"the file shrank to {read} bytes while being read", read);
            }

            read += count;
        }

        return bytes.AsMemory(0, read);
    }

    /// <summary>Where the file meta group starts: after the preamble and "DICM", at 0 for files written without a preamble, or null.</summary>
    private static int? FindMetaGroup(ReadOnlySpan<byte> data)
    {
        if (HasPart10Prefix(data))
        {
            return PrefixLength;
        }

        // Some writers drop the preamble but keep the meta group: group 0002 followed by a VR.
        return data.Length >= 6 && data[0] == 0x02 && data[1] == 0x00 && DicomVr.TryParse(data[4], data[5], out _) ? 0 : null;
    }

    /// <summary>Whether the bytes start like a Part-10 file: "DICM" after the 128-byte preamble.</summary>
    internal static bool HasPart10Prefix(ReadOnlySpan<byte> data) =>
        data.Length >= PrefixLength && data.Slice(PreambleLength, 4).SequenceEqual("DICM"u8);

    /// <summary>
    /// Whether a stream (a file, an archive entry) starts like a Part-10 file, reading only its first
    /// 132 bytes: how LIDC's DICOM files are told from the annotations beside them, whatever their names.
    /// </summary>
    public static bool StartsAsPart10(Stream stream)
    {
        Span<byte> prefix = stackalloc byte[PrefixLength];
        return stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false) == prefix.Length && HasPart10Prefix(prefix);
    }

    /// <summary>
    /// Guesses the encoding of a data set with no transfer syntax: explicit VR if bytes 4–5 spell a VR, and big
    /// endian if the first group reads smaller that way (groups are small numbers: 0008 is 08 00 in LE, 00 08 in BE).
    /// </summary>
    private static TransferSyntax Sniff(ReadOnlySpan<byte> data)
    {
        if (data.Length < 6 || !DicomVr.TryParse(data[4], data[5], out _))
        {
            return TransferSyntax.ImplicitVrLittleEndian;
        }

        var little = data[0] | (data[1] << 8);
        var big = (data[0] << 8) | data[1];
        return big < little ? TransferSyntax.ExplicitVrBigEndian : TransferSyntax.ExplicitVrLittleEndian;
    }
}
