using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Data.Datasets;
using Reproduce.Data.Dicom;

namespace Reproduce.Data.Preprocessing;

/// <summary>
/// Turns one raw image into the store's square uint8 image: first gray levels in [0, 255] at the
/// native size (how depends on the recipe), then a resize to <see cref="Size"/> × <see cref="Size"/>
/// (<see cref="Resampler"/>: area when shrinking, bilinear otherwise), then rounding. Scaling happens
/// before resizing, at native resolution, as the authors' per-slice min–max on the native PNG does.
/// </summary>
public abstract class ImageRecipe(int size)
{
    /// <summary>The stored value GE-style LIDC scanners write outside the field of view.</summary>
    public const int AuthorsPaddingValue = -2000;

    /// <summary>The intercept the authors assume when a file has none.</summary>
    public const double AuthorsDefaultIntercept = -1024;

    /// <summary>Air in HU: what padding becomes in the windowed recipe.</summary>
    public const float Air = -1024;

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
        var (levels, width, height) = GrayLevels(source, path);
        var output = new byte[Size * Size];
        if (width == Size && height == Size)
        {
            Quantise(levels, output);
            return output;
        }

        var resized = new float[Size * Size];
        new Resampler(width, height, Size, Size).Resize(levels, resized);
        Quantise(resized, output);
        return output;
    }

    /// <summary>Gray levels in [0, 255] at native size.</summary>
    protected abstract (float[] Levels, int Width, int Height) GrayLevels(SourceImage source, string path);

    /// <summary>Round half to even (as OpenCV's saturate_cast) and clamp into a byte.</summary>
    private static void Quantise(ReadOnlySpan<float> levels, Span<byte> output)
    {
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = (byte)Math.Clamp(MathF.Round(levels[i], MidpointRounding.ToEven), 0f, 255f);
        }
    }

    protected static DicomImage RequireCt(SourceImage source, string path, string recipe) => source is CtSlice slice
        ? slice.Image
        : throw new DataFormatException(path, $"recipe '{recipe}' needs a CT slice in HU, and this is an image file");

    /// <summary>The first frame's stored values, checked to be a single-sample image.</summary>
    protected static int[] StoredValues(DicomImage image)
    {
        if (image.SamplesPerPixel != 1)
        {
            throw new DataFormatException(image.Path, $"{image.SamplesPerPixel} samples per pixel; a CT slice has 1");
        }

        return image.StoredValues();
    }
}

/// <summary>
/// The authors' recipe (DATASETS.md §B1): stored values equal to −2000 become 0 before the rescale
/// (so GE padding lands on the intercept, −1024 HU), a missing intercept is −1024, then each slice
/// is min–max scaled from its own HU range to [0, 255]. No window; other padding conventions
/// (Toshiba) enter the min–max unchanged, as in the authors' script.
/// </summary>
public sealed class AuthorsRecipe(int size) : ImageRecipe(size)
{
    protected override (float[] Levels, int Width, int Height) GrayLevels(SourceImage source, string path)
    {
        var image = RequireCt(source, path, "authors");
        var stored = StoredValues(image);
        var intercept = image.Dataset.Contains(DicomTags.RescaleIntercept) ? image.RescaleIntercept : AuthorsDefaultIntercept;
        var slope = image.RescaleSlope;
        var levels = new float[stored.Length];
        var (min, max) = (float.MaxValue, float.MinValue);
        for (var i = 0; i < stored.Length; i++)
        {
            var value = stored[i] == AuthorsPaddingValue ? 0 : stored[i];
            var hu = (float)((value * slope) + intercept);
            levels[i] = hu;
            min = Math.Min(min, hu);
            max = Math.Max(max, hu);
        }

        // A constant slice has no range: the authors' division would give NaN; all zeros is the honest image.
        var scale = max > min ? 255f / (max - min) : 0f;
        for (var i = 0; i < levels.Length; i++)
        {
            levels[i] = (levels[i] - min) * scale;
        }

        return (levels, image.Columns, image.Rows);
    }
}

/// <summary>
/// A fixed HU window: HU = stored × slope + intercept (DICOM defaults 1 and 0), pixels equal to the
/// file's PixelPaddingValue become air, then [level − width/2, level + width/2] maps linearly to
/// [0, 255], clipped.
/// </summary>
public sealed class WindowRecipe(int size, double level, double width) : ImageRecipe(size)
{
    protected override (float[] Levels, int Width, int Height) GrayLevels(SourceImage source, string path)
    {
        var image = RequireCt(source, path, "window");
        var stored = StoredValues(image);
        var low = level - (width / 2);
        var levels = new float[stored.Length];
        for (var i = 0; i < stored.Length; i++)
        {
            var hu = stored[i] == image.PixelPaddingValue ? Air : (stored[i] * image.RescaleSlope) + image.RescaleIntercept;
            levels[i] = (float)Math.Clamp((hu - low) * 255 / width, 0, 255);
        }

        return (levels, image.Columns, image.Rows);
    }
}

/// <summary>For datasets that are 8-bit gray images already: only the resize.</summary>
public sealed class GrayRecipe(int size) : ImageRecipe(size)
{
    protected override (float[] Levels, int Width, int Height) GrayLevels(SourceImage source, string path)
    {
        if (source is not GraySource gray)
        {
            throw new DataFormatException(path, "recipe 'gray' needs an image file, and this is a CT slice: use 'authors' or 'window'");
        }

        var pixels = gray.Image.Pixels;
        var levels = new float[pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            levels[i] = pixels[i];
        }

        return (levels, gray.Image.Width, gray.Image.Height);
    }
}
