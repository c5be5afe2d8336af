using System.Buffers;
using Reproduce.Core.Errors;

namespace Reproduce.Data.Dicom;

/// <summary>
/// The pixel side of a data set: geometry, sample format, rescale and padding, and decoding of frames to
/// stored values or Hounsfield units (DESIGN.md §7 "DICOM inspect --npy"). All checks that can fail on the
/// file happen in <see cref="From"/>, so a constructed image decodes every frame without data errors.
/// </summary>
public sealed class DicomImage
{
    private readonly DicomElement pixelData;
    private readonly IReadOnlyList<Range>? frameFragments;
    private readonly PixelLayout layout;

    private DicomImage(DicomDataset dataset, DicomElement pixelData, IReadOnlyList<Range>? frameFragments, PixelLayout layout)
    {
        Dataset = dataset;
        this.pixelData = pixelData;
        this.frameFragments = frameFragments;
        this.layout = layout;
    }

    public DicomDataset Dataset { get; }

    public string Path => Dataset.Path;

    public TransferSyntax TransferSyntax => Dataset.TransferSyntax;

    public required int Rows { get; init; }

    public required int Columns { get; init; }

    public required int Frames { get; init; }

    public required int SamplesPerPixel { get; init; }

    public required int BitsAllocated { get; init; }

    public required int BitsStored { get; init; }

    public required int HighBit { get; init; }

    /// <summary>0 unsigned, 1 two's complement.</summary>
    public required int PixelRepresentation { get; init; }

    /// <summary>RescaleSlope, or 1 when absent (as the standard says).</summary>
    public required double RescaleSlope { get; init; }

    /// <summary>RescaleIntercept, or 0 when absent. Preprocessing recipes may choose the authors' −1024 instead.</summary>
    public required double RescaleIntercept { get; init; }

    /// <summary>PixelPaddingValue read as SS when PixelRepresentation is 1 and as US otherwise, whatever its VR says.</summary>
    public required int? PixelPaddingValue { get; init; }

    /// <summary>PhotometricInterpretation as written; MONOCHROME1 is reported, never inverted here.</summary>
    public required string? Photometric { get; init; }

    public bool IsSigned => PixelRepresentation == 1;

    public int PixelCount => Rows * Columns;

    public static DicomImage From(DicomDataset dataset)
    {
        var syntax = dataset.TransferSyntax;
        if (syntax.Pixels == PixelEncoding.Unsupported)
        {
            throw new DataFormatException(dataset.Path,
                $"pixel data uses transfer syntax {syntax.Uid} ({syntax.Name}), which this reader does not decode; " +
                "convert the file to an uncompressed or RLE transfer syntax first (e.g. gdcmconv --raw, or dcmtk's dcmdjpeg / dcmdjpls)");
        }

        var rows = Required(dataset, DicomTags.Rows, "Rows");
        var columns = Required(dataset, DicomTags.Columns, "Columns");
        var samples = dataset.GetInt(DicomTags.SamplesPerPixel) ?? 1;
        var bitsAllocated = Required(dataset, DicomTags.BitsAllocated, "BitsAllocated");
        var bitsStored = dataset.GetInt(DicomTags.BitsStored) ?? bitsAllocated;
        var highBit = dataset.GetInt(DicomTags.HighBit) ?? (bitsStored - 1);
        var representation = dataset.GetInt(DicomTags.PixelRepresentation) ?? 0;
        var frames = dataset.GetInt(DicomTags.NumberOfFrames) ?? 1;

        if (rows < 1 || columns < 1)
        {
            throw Invalid(dataset, DicomTags.Rows, $"the image is {rows} × {columns} pixels; both must be at least 1");
        }

        if ((long)rows * columns > Array.MaxLength)
        {
            throw Invalid(dataset, DicomTags.Rows, $"the image is {rows} × {columns} pixels, more than one array can hold");
        }

        if (samples != 1)
        {
            throw Invalid(dataset, DicomTags.SamplesPerPixel, $"SamplesPerPixel is {samples}; only single-sample (grayscale) images are supported");
        }

        if (bitsAllocated is not (8 or 16))
        {
            throw Invalid(dataset, DicomTags.BitsAllocated, $"BitsAllocated is {bitsAllocated}; only 8 and 16 are supported");
        }

        if (bitsStored < 1 || bitsStored > bitsAllocated || highBit < bitsStored - 1 || highBit >= bitsAllocated)
        {
            throw Invalid(dataset, DicomTags.BitsStored, $"BitsStored {bitsStored} and HighBit {highBit} do not fit BitsAllocated {bitsAllocated}");
        }

        if (representation is not (0 or 1))
        {
            throw Invalid(dataset, DicomTags.PixelRepresentation, $"PixelRepresentation is {representation}; it must be 0 or 1");
        }

        if (frames < 1)
        {
            throw Invalid(dataset, DicomTags.NumberOfFrames, $"NumberOfFrames is {frames}; it must be at least 1");
        }

        var pixelData = dataset.Find(DicomTags.PixelData)
            ?? throw new DataFormatException(dataset.Path, "the data set has no PixelData (7FE0,0010)");
        var bytesPerSample = bitsAllocated / 8;
        var frameBytes = (long)rows * columns * bytesPerSample;
        var big = dataset.Encoding.BigEndian;
        var layout = new PixelLayout(bytesPerSample, big, big && bytesPerSample == 1 && pixelData.Vr == "OW", bitsStored, highBit, representation == 1);

        IReadOnlyList<Range>? frameFragments = null;
        if (syntax.Pixels == PixelEncoding.Native)
        {
            if (pixelData.Encapsulated is not null)
            {
                throw dataset.Error(pixelData, $"is encapsulated, but transfer syntax {syntax} stores pixels natively");
            }

            var needed = frameBytes * frames;
            if (pixelData.Length < needed)
            {
                throw dataset.Error(pixelData,
                    $"holds {pixelData.Length} bytes of pixel data, but Rows × Columns × NumberOfFrames × BitsAllocated/8 = " +
                    $"{rows} × {columns} × {frames} × {bytesPerSample} = {needed} bytes");
            }
        }
        else
        {
            var encapsulated = pixelData.Encapsulated
                ?? throw dataset.Error(pixelData, $"has a defined length, but transfer syntax {syntax} needs encapsulated pixel data");
            frameFragments = encapsulated.AssignFrames(frames, out var problem) ?? throw dataset.Error(pixelData, problem!);
            for (var frame = 0; frame < frames; frame++)
            {
                var compressed = FragmentBytes(encapsulated, frameFragments[frame]);
                // Bounds what a small file can make us allocate: the decoded frame must be reachable from its bytes.
                var reachable = syntax.Pixels == PixelEncoding.Rle ? compressed * RleDecoder.MaxExpansion : compressed;
                if (reachable < frameBytes)
                {
                    throw dataset.Error(pixelData, $"frame {frame} has {compressed} encoded bytes, which cannot hold a {rows} × {columns} frame of {frameBytes} bytes");
                }
            }
        }

        return new DicomImage(dataset, pixelData, frameFragments, layout)
        {
            Rows = rows,
            Columns = columns,
            Frames = frames,
            SamplesPerPixel = samples,
            BitsAllocated = bitsAllocated,
            BitsStored = bitsStored,
            HighBit = highBit,
            PixelRepresentation = representation,
            RescaleSlope = dataset.GetDouble(DicomTags.RescaleSlope) ?? 1.0,
            RescaleIntercept = dataset.GetDouble(DicomTags.RescaleIntercept) ?? 0.0,
            PixelPaddingValue = ReadPadding(dataset, representation),
            Photometric = dataset.GetString(DicomTags.PhotometricInterpretation),
        };
    }

    /// <summary>The stored values of one frame, row-major, after masking and sign extension.</summary>
    public int[] StoredValues(int frame = 0)
    {
        var values = new int[PixelCount];
        CopyStoredValues(frame, values);
        return values;
    }

    /// <summary>Stored value × RescaleSlope + RescaleIntercept for one frame, row-major; padding is not replaced.</summary>
    public float[] HounsfieldUnits(int frame = 0)
    {
        var values = new float[PixelCount];
        CopyHounsfieldUnits(frame, values);
        return values;
    }

    /// <summary>Writes the stored values of <paramref name="frame"/> into the first <see cref="PixelCount"/> entries of <paramref name="destination"/>.</summary>
    public void CopyStoredValues(int frame, Span<int> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame, Frames);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, PixelCount, nameof(destination));
        var target = destination[..PixelCount];
        if (frameFragments is null)
        {
            PixelUnpacker.Unpack(Dataset.ValueBytes(pixelData), (long)frame * PixelCount, target, layout);
            return;
        }

        var encapsulated = pixelData.Encapsulated!;
        byte[]? joined = null;
        byte[]? decoded = null;
        try
        {
            var data = FrameData(encapsulated, frameFragments[frame], ref joined);
            if (TransferSyntax.Pixels == PixelEncoding.Rle)
            {
                var size = PixelCount * layout.BytesPerSample;
                decoded = ArrayPool<byte>.Shared.Rent(size);
                var problem = RleDecoder.Decode(data, decoded.AsSpan(0, size), layout.BytesPerSample);
                if (problem is not null)
                {
                    throw Dataset.Error(pixelData, $"frame {frame}: {problem}");
                }

                // Decoded samples are little endian and contiguous whatever the data set's byte order.
                PixelUnpacker.Unpack(decoded.AsSpan(0, size), 0, target, layout with { BigEndian = false, SwapBytePairs = false });
            }
            else
            {
                if (data.Length < (long)PixelCount * layout.BytesPerSample)
                {
                    throw Dataset.Error(pixelData, $"frame {frame} has {data.Length} bytes, fewer than one frame");
                }

                PixelUnpacker.Unpack(data, 0, target, layout);
            }
        }
        finally
        {
            Return(joined);
            Return(decoded);
        }
    }

    /// <summary>Writes Hounsfield units (stored × slope + intercept) of <paramref name="frame"/> into <paramref name="destination"/>.</summary>
    public void CopyHounsfieldUnits(int frame, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, PixelCount, nameof(destination));
        var stored = ArrayPool<int>.Shared.Rent(PixelCount);
        try
        {
            var values = stored.AsSpan(0, PixelCount);
            CopyStoredValues(frame, values);
            var slope = RescaleSlope;
            var intercept = RescaleIntercept;
            for (var i = 0; i < values.Length; i++)
            {
                // Computed in double, then rounded once: exact for the integer slopes and intercepts CT uses.
                destination[i] = (float)((values[i] * slope) + intercept);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(stored);
        }
    }

    private ReadOnlySpan<byte> FrameData(EncapsulatedPixelData encapsulated, Range fragments, ref byte[]? joined)
    {
        var (first, count) = fragments.GetOffsetAndLength(encapsulated.Fragments.Count);
        var bytes = Dataset.Source.Span;
        if (count == 1)
        {
            var only = encapsulated.Fragments[first];
            return bytes.Slice(only.ValueOffset, only.Length);
        }

        // A frame split over several fragments is decoded from one contiguous copy; its size is bounded by the file.
        var total = (int)FragmentBytes(encapsulated, fragments);
        joined = ArrayPool<byte>.Shared.Rent(total);
        var written = 0;
        for (var i = first; i < first + count; i++)
        {
            var fragment = encapsulated.Fragments[i];
            bytes.Slice(fragment.ValueOffset, fragment.Length).CopyTo(joined.AsSpan(written));
            written += fragment.Length;
        }

        return joined.AsSpan(0, total);
    }

    private static long FragmentBytes(EncapsulatedPixelData encapsulated, Range fragments)
    {
        var (first, count) = fragments.GetOffsetAndLength(encapsulated.Fragments.Count);
        long total = 0;
        for (var i = first; i < first + count; i++)
        {
            total += encapsulated.Fragments[i].Length;
        }

        return total;
    }

    private static int? ReadPadding(DicomDataset dataset, int representation)
    {
        if (dataset.Find(DicomTags.PixelPaddingValue) is not { } element)
        {
            return null;
        }

        var bytes = dataset.ValueBytes(element);
        if (bytes.Length != 2)
        {
            throw dataset.Error(element, $"(PixelPaddingValue) has {bytes.Length} value bytes; a US or SS value has 2");
        }

        // Its VR is US or SS by PixelRepresentation (and unknown in implicit VR), so the representation decides.
        var raw = Endian.UInt16(bytes, dataset.Encoding.BigEndian);
        return representation == 1 ? (short)raw : raw;
    }

    private static int Required(DicomDataset dataset, DicomTag tag, string name) =>
        dataset.GetInt(tag) ?? throw new DataFormatException(dataset.Path, $"the data set has no {name} {tag}, which an image needs");

    private static DataFormatException Invalid(DicomDataset dataset, DicomTag tag, string problem) =>
        dataset.Find(tag) is { } element
            ? dataset.Source.Error(element.Offset, problem)
            : new DataFormatException(dataset.Path, problem);

    private static void Return(byte[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
