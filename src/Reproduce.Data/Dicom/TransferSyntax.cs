using System.Collections.Frozen;

namespace Reproduce.Data.Dicom;

/// <summary>
/// A transfer syntax: how the data set after the file meta group is encoded and how its pixels are stored.
/// <see cref="IsKnown"/> is false for UIDs this reader has never heard of, whose encoding it cannot know.
/// </summary>
public sealed record TransferSyntax(string Uid, string Name, DatasetEncoding Encoding, bool Deflated, PixelEncoding Pixels, bool IsKnown = true)
{
    public const string ImplicitVrLittleEndianUid = "1.2.840.10008.1.2";
    public const string ExplicitVrLittleEndianUid = "1.2.840.10008.1.2.1";
    public const string DeflatedExplicitVrLittleEndianUid = "1.2.840.10008.1.2.1.99";
    public const string ExplicitVrBigEndianUid = "1.2.840.10008.1.2.2";
    public const string RleLosslessUid = "1.2.840.10008.1.2.5";

    // Every compressed syntax the standard has defined lives under this root and encodes its data set as explicit VR LE.
    private const string CompressedRoot = "1.2.840.10008.1.2.4.";

    public static TransferSyntax ImplicitVrLittleEndian { get; } =
        new(ImplicitVrLittleEndianUid, "Implicit VR Little Endian", DatasetEncoding.ImplicitLittleEndian, false, PixelEncoding.Native);

    public static TransferSyntax ExplicitVrLittleEndian { get; } =
        new(ExplicitVrLittleEndianUid, "Explicit VR Little Endian", DatasetEncoding.ExplicitLittleEndian, false, PixelEncoding.Native);

    public static TransferSyntax ExplicitVrBigEndian { get; } =
        new(ExplicitVrBigEndianUid, "Explicit VR Big Endian (retired)", DatasetEncoding.ExplicitBigEndian, false, PixelEncoding.Native);

    private static readonly FrozenDictionary<string, TransferSyntax> Registry = new[]
    {
        ImplicitVrLittleEndian,
        ExplicitVrLittleEndian,
        ExplicitVrBigEndian,
        new(DeflatedExplicitVrLittleEndianUid, "Deflated Explicit VR Little Endian", DatasetEncoding.ExplicitLittleEndian, true, PixelEncoding.Native),
        new("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian", DatasetEncoding.ExplicitLittleEndian, false, PixelEncoding.EncapsulatedNative),
        new(RleLosslessUid, "RLE Lossless", DatasetEncoding.ExplicitLittleEndian, false, PixelEncoding.Rle),
        Compressed("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)"),
        Compressed("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)"),
        Compressed("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)"),
        Compressed("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])"),
        Compressed("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression"),
        Compressed("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression"),
        Compressed("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)"),
        Compressed("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression"),
        Compressed("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)"),
        Compressed("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression"),
        Compressed("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)"),
        Compressed("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)"),
        Compressed("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression"),
        Compressed("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level"),
        Compressed("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level"),
        Compressed("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1"),
        Compressed("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1"),
        Compressed("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1"),
        Compressed("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1"),
        Compressed("1.2.840.10008.1.2.4.110", "JPEG XL Lossless"),
        Compressed("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression"),
        Compressed("1.2.840.10008.1.2.4.112", "JPEG XL"),
    }.ToFrozenDictionary(ts => ts.Uid, StringComparer.Ordinal);

    /// <summary>The syntax named by <paramref name="uid"/>; an unknown UID gives a syntax with <see cref="IsKnown"/> false.</summary>
    public static TransferSyntax Lookup(string uid)
    {
        if (Registry.TryGetValue(uid, out var known))
        {
            return known;
        }

        // Retired and future JPEG-family UIDs still encode the data set as explicit VR LE; only their pixels are opaque.
        return uid.StartsWith(CompressedRoot, StringComparison.Ordinal)
            ? Compressed(uid, "unlisted compressed transfer syntax")
            : new(uid, "unknown transfer syntax", DatasetEncoding.ExplicitLittleEndian, false, PixelEncoding.Unsupported, IsKnown: false);
    }

    public override string ToString() => $"{Uid} ({Name})";

    private static TransferSyntax Compressed(string uid, string name) =>
        new(uid, name, DatasetEncoding.ExplicitLittleEndian, false, PixelEncoding.Unsupported);
}
