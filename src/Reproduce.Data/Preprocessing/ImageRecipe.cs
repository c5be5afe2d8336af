using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Data.Datasets;
using Reproduce.Data.Dicom;

namespace Reproduce.Data.Preprocessing;

/// <summary>
/// Turns one raw image into the store's square uint8 image. Each recipe maps the native image to
/// values v and an affine map to gray levels, level = Scale·v + Offset (in [0, 255]); the values are
/// resized to <see cref="Size"/> × <see cref="Size"/> (<see cref="Resampler"/>: area when shrinking,
/// bilinear otherwise), then mapped, rounded half to even and clamped. Resizing before an affine map
/// equals resizing after it (the weights sum to one), so the authors' per-slice min–max is taken on
/// the native slice, as their script does, while only the small image is scaled. Thread-safe.
/// </summary>
public abstract class ImageRecipe(int size)
{
    /// <summary>The stored value GE-style LIDC scanners write outside the field of view.</summary>
    public const int AuthorsPaddingValue = -2000;

    /// <summary>The intercept the authors assume when a file has none.</summary>
    public const double AuthorsDefaultIntercept = -1024;

    /// <summary>Air in HU: what padding becomes in the windowed recipe.</summary>
    public const float Air = -1024;

    private readonly ConcurrentDictionary<(int Width, int Height), Resampler> resamplers = new();

    public int Size { get; } = size;

    public static ImageRecipe Create(PreprocessSpec spec) => spec.Recipe switch
    {
        "authors" => new AuthorsRecipe(spec.Size),
        "window" => new WindowRecipe(spec.Size, spec.WindowLevel!.Value, spec.WindowWidth!.Value),
        "gray" => new GrayRecipe(spec.Size),
        _ => throw new ArgumentException($"unknown preprocessing recipe '{spec.Recipe}'", nameof(spec)),
    };

    /// <summary>The store image for <paramref name="source"/>: Size × Size bytes, row-major.</summary>
    public byte[] Apply(SourceImage source, string path)
    {
        var native = Native(source, path);
        var output = new byte[Size * Size];
        try
        {
            var values = native.Values.AsSpan(0, native.Width * native.Height);
            if (native.Width == Size && native.Height == Size)
            {
                Quantise(values, native.Scale, native.Offset, output);
                return output;
            }

            var resized = ArrayPool<float>.Shared.Rent(Size * Size);
            try
            {
                var resampler = resamplers.GetOrAdd((native.Width, native.Height), key => new Resampler(key.Width, key.Height, Size, Size));
                resampler.Resize(values, resized);
                Quantise(resized.AsSpan(0, Size * Size), native.Scale, native.Offset, output);
                return output;
            }
            finally
            {
                ArrayPool<float>.Shared.Return(resized);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(native.Values);
        }
    }

    /// <summary>The native values in a buffer rented from <see cref="ArrayPool{T}.Shared"/> (returned by <see cref="Apply"/>) and their map to gray levels.</summary>
    protected abstract NativeValues Native(SourceImage source, string path);

    protected static DicomImage RequireCt(SourceImage source, string path, string recipe)
    {
        var image = source is CtSlice slice
            ? slice.Image
            : throw new DataFormatException(path, $"recipe '{recipe}' needs a CT slice in HU, and this is an image file");
        return image.SamplesPerPixel == 1
            ? image
            : throw new DataFormatException(image.Path, $"{image.SamplesPerPixel} samples per pixel; a CT slice has 1");
    }

    /// <summary>
    /// The native values of a CT slice: <paramref name="convert"/> turns its stored values into values
    /// and returns their map to gray levels. Both buffers are rented; the values go to <see cref="Apply"/>.
    /// </summary>
    protected static NativeValues FromStoredValues(DicomImage image, StoredToValues convert)
    {
        var count = image.PixelCount;
        var stored = ArrayPool<int>.Shared.Rent(count);
        var values = ArrayPool<float>.Shared.Rent(count);
        try
        {
            image.CopyStoredValues(0, stored);
            var (scale, offset) = convert(stored.AsSpan(0, count), values.AsSpan(0, count));
            return new NativeValues(values, image.Columns, image.Rows, scale, offset);
        }
        catch
        {
            ArrayPool<float>.Shared.Return(values);
            throw;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(stored);
        }
    }

    /// <summary>level = scale·v + offset, rounded half to even (as OpenCV's saturate_cast), clamped into a byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Quantise(ReadOnlySpan<float> values, float scale, float offset, Span<byte> output)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && output.Length >= Vector<byte>.Count)
        {
            var (scales, offsets, lowest, highest) = (new Vector<float>(scale), new Vector<float>(offset), Vector<float>.Zero, new Vector<float>(255));
            var inputs = MemoryMarshal.Cast<float, Vector<float>>(values[..output.Length]);
            var outputs = MemoryMarshal.Cast<byte, Vector<byte>>(output);
            for (var v = 0; v < outputs.Length; v++)
            {
                // Four float vectors make one byte vector; clamped levels narrow without overflow.
                var words = Vector.Narrow(Level(inputs[4 * v]), Level(inputs[(4 * v) + 1]));
                var more = Vector.Narrow(Level(inputs[(4 * v) + 2]), Level(inputs[(4 * v) + 3]));
                outputs[v] = Vector.Narrow(words, more);
            }

            i = outputs.Length * Vector<byte>.Count;

            Vector<uint> Level(Vector<float> value) =>
                Vector.ConvertToUInt32(Vector.Min(Vector.Max(Vector.Round(Vector.FusedMultiplyAdd(scales, value, offsets)), lowest), highest));
        }

        for (; i < output.Length; i++)
        {
            output[i] = (byte)Math.Clamp(MathF.Round(MathF.FusedMultiplyAdd(scale, values[i], offset), MidpointRounding.ToEven), 0f, 255f);
        }
    }

    /// <summary>Fills the values from a slice's stored values and returns their map to gray levels.</summary>
    protected delegate (float Scale, float Offset) StoredToValues(ReadOnlySpan<int> stored, Span<float> values);

    /// <summary>A native image's values (a rented buffer, possibly longer than Width × Height) and the affine map to gray levels.</summary>
    protected readonly record struct NativeValues(float[] Values, int Width, int Height, float Scale, float Offset);
}

/// <summary>
/// The authors' recipe (DATASETS.md §B1): stored values equal to −2000 become 0 before the rescale
/// (so GE padding lands on the intercept, −1024 HU), a missing intercept is −1024, then each slice
/// is min–max scaled from its own HU range to [0, 255]. No window; other padding conventions
/// (Toshiba) enter the min–max unchanged, as in the authors' script.
/// </summary>
public sealed class AuthorsRecipe(int size) : ImageRecipe(size)
{
    protected override NativeValues Native(SourceImage source, string path)
    {
        var image = RequireCt(source, path, "authors");
        var slope = image.RescaleSlope;
        var intercept = image.Dataset.Contains(DicomTags.RescaleIntercept) ? image.RescaleIntercept : AuthorsDefaultIntercept;
        return FromStoredValues(image, (stored, values) =>
        {
            var (min, max) = ReplacePaddingAndConvert(stored, values);
            var (low, high) = (Math.Min(slope * min, slope * max) + intercept, Math.Max(slope * min, slope * max) + intercept);
            // A constant slice has no range: the authors' division would give NaN; all zeros is the honest image.
            var perHu = high > low ? 255 / (high - low) : 0;
            return ((float)(slope * perHu), (float)((intercept - low) * perHu));
        });
    }

    /// <summary>values = stored with −2000 replaced by 0, as floats; returns the min and max of the replaced values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int Min, int Max) ReplacePaddingAndConvert(ReadOnlySpan<int> stored, Span<float> values)
    {
        var (min, max) = (int.MaxValue, int.MinValue);
        var i = 0;
        if (Vector.IsHardwareAccelerated && stored.Length >= Vector<int>.Count)
        {
            var padding = new Vector<int>(AuthorsPaddingValue);
            var (lows, highs) = (new Vector<int>(int.MaxValue), new Vector<int>(int.MinValue));
            var inputs = MemoryMarshal.Cast<int, Vector<int>>(stored);
            var outputs = MemoryMarshal.Cast<float, Vector<float>>(values);
            for (var v = 0; v < inputs.Length; v++)
            {
                var replaced = Vector.ConditionalSelect(Vector.Equals(inputs[v], padding), Vector<int>.Zero, inputs[v]);
                lows = Vector.Min(lows, replaced);
                highs = Vector.Max(highs, replaced);
                outputs[v] = Vector.ConvertToSingle(replaced);
            }

            for (var lane = 0; lane < Vector<int>.Count; lane++)
            {
                (min, max) = (Math.Min(min, lows[lane]), Math.Max(max, highs[lane]));
            }

            i = inputs.Length * Vector<int>.Count;
        }

        for (; i < stored.Length; i++)
        {
            var value = stored[i] == AuthorsPaddingValue ? 0 : stored[i];
            (min, max) = (Math.Min(min, value), Math.Max(max, value));
            values[i] = value;
        }

        return (min, max);
    }
}

/// <summary>
/// A fixed HU window: HU = stored × slope + intercept (DICOM defaults 1 and 0), pixels equal to the
/// file's PixelPaddingValue become air, then [level − width/2, level + width/2] maps linearly to
/// [0, 255], clipped. The clip is not affine, so it happens at native size, before the resize.
/// </summary>
public sealed class WindowRecipe(int size, double level, double width) : ImageRecipe(size)
{
    protected override NativeValues Native(SourceImage source, string path)
    {
        var image = RequireCt(source, path, "window");
        var (slope, intercept, padding) = (image.RescaleSlope, image.RescaleIntercept, image.PixelPaddingValue);
        var low = level - (width / 2);
        return FromStoredValues(image, (stored, values) =>
        {
            for (var i = 0; i < stored.Length; i++)
            {
                var hu = stored[i] == padding ? Air : (stored[i] * slope) + intercept;
                values[i] = (float)Math.Clamp((hu - low) * 255 / width, 0, 255);
            }

            return (1, 0);
        });
    }
}

/// <summary>For datasets that are 8-bit gray images already: only the resize.</summary>
public sealed class GrayRecipe(int size) : ImageRecipe(size)
{
    protected override NativeValues Native(SourceImage source, string path)
    {
        if (source is not GraySource gray)
        {
            throw new DataFormatException(path, "recipe 'gray' needs an image file, and this is a CT slice: use 'authors' or 'window'");
        }

        var pixels = gray.Image.Pixels;
        var values = ArrayPool<float>.Shared.Rent(pixels.Length);
        for (var i = 0; i < pixels.Length; i++)
        {
            values[i] = pixels[i];
        }

        return new NativeValues(values, gray.Image.Width, gray.Image.Height, 1, 0);
    }
}
