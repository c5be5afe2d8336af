using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Augmentations;

/// <summary>
/// torchvision's RandomResizedCrop (METHODS.md §0.4): a box of a random share of the area and a
/// random aspect ratio, resized to <see cref="Size"/> × <see cref="Size"/>.
/// </summary>
public sealed class RandomResizedCrop : IImageTransform
{
    private const int Attempts = 10;

    public RandomResizedCrop(int size, double minScale, double maxScale, ResizeInterpolation interpolation, double minRatio = 3.0 / 4.0, double maxRatio = 4.0 / 3.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minScale);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxScale, minScale);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minRatio);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRatio, minRatio);
        Size = size;
        MinScale = minScale;
        MaxScale = maxScale;
        Interpolation = interpolation;
        MinRatio = minRatio;
        MaxRatio = maxRatio;
    }

    public int Size { get; }

    public double MinScale { get; }

    public double MaxScale { get; }

    public ResizeInterpolation Interpolation { get; }

    public double MinRatio { get; }

    public double MaxRatio { get; }

    public Tensor Apply(Tensor image, SampleRandom random)
    {
        var box = SampleBox((int)image.shape[^2], (int)image.shape[^1], random);
        return ResizedCrop(image, box, Size, Interpolation);
    }

    /// <summary>
    /// torchvision's <c>RandomResizedCrop.get_params</c>, draw for draw: up to ten tries of
    /// (area share, log-uniform aspect), then top and left, inclusive; if no try fits, the centre
    /// crop with the image's aspect clamped into [<see cref="MinRatio"/>, <see cref="MaxRatio"/>].
    /// </summary>
    public CropBox SampleBox(int height, int width, SampleRandom random)
    {
        var area = (double)height * width;
        var logMinRatio = Math.Log(MinRatio);
        var logMaxRatio = Math.Log(MaxRatio);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var targetArea = area * random.Uniform(MinScale, MaxScale);
            var aspect = Math.Exp(random.Uniform(logMinRatio, logMaxRatio));
            // Math.Round rounds half to even, as Python's round does.
            var w = (int)Math.Round(Math.Sqrt(targetArea * aspect));
            var h = (int)Math.Round(Math.Sqrt(targetArea / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height)
            {
                var top = random.Integer(0, height - h);
                var left = random.Integer(0, width - w);
                return new CropBox(top, left, h, w);
            }
        }

        return CentreFallback(height, width);
    }

    /// <summary>Crops <paramref name="box"/> out of a (C, H, W) image and resizes it to <paramref name="size"/> × <paramref name="size"/>.</summary>
    public static Tensor ResizedCrop(Tensor image, CropBox box, int size, ResizeInterpolation interpolation)
    {
        using var scope = NewDisposeScope();
        var crop = image.narrow(-2, box.Top, box.Height).narrow(-1, box.Left, box.Width);
        // Antialiasing when shrinking is what PIL (the references resize PIL images) does; with it
        // libtorch's bicubic also switches to PIL's kernel (a = −0.5).
        var resized = nn.functional.interpolate(
            crop.unsqueeze(0),
            size: [size, size],
            mode: interpolation == ResizeInterpolation.Bicubic ? InterpolationMode.Bicubic : InterpolationMode.Bilinear,
            align_corners: false,
            antialias: true).squeeze(0);
        // Bicubic overshoots at edges; PIL saturates to the 8-bit range, so clamp into [0, 1] (in place: the resize
        // is a new tensor).
        return (interpolation == ResizeInterpolation.Bicubic ? resized.clamp_(0.0, 1.0) : resized).MoveToOuterDisposeScope();
    }

    private CropBox CentreFallback(int height, int width)
    {
        var inputRatio = (double)width / height;
        var (h, w) = inputRatio < MinRatio ? ((int)Math.Round(width / MinRatio), width)
            : inputRatio > MaxRatio ? (height, (int)Math.Round(height * MaxRatio))
            : (height, width);
        return new CropBox((height - h) / 2, (width - w) / 2, h, w);
    }
}
