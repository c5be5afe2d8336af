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

    /// <summary>
    /// Crops <paramref name="box"/> out of a (C, H, W) image and resizes it to <paramref name="size"/> × <paramref name="size"/>
    /// as PIL does (the references resize PIL images): antialiased when shrinking, and bicubic with PIL's kernel
    /// (a = −0.5), its width pass clipped to [0, 1] before its height pass and the result clipped again.
    /// </summary>
    public static Tensor ResizedCrop(Tensor image, CropBox box, int size, ResizeInterpolation interpolation)
    {
        using var scope = NewDisposeScope();
        var crop = image.narrow(-2, box.Top, box.Height).narrow(-1, box.Left, box.Width).unsqueeze(0);
        if (interpolation == ResizeInterpolation.Bilinear)
        {
            // Bilinear weights are non-negative, so nothing leaves [0, 1] and one call does both passes.
            return Resize(crop, size, size, InterpolationMode.Bilinear).squeeze(0).MoveToOuterDisposeScope();
        }

        // Bicubic overshoots at edges. PIL resamples the width first into an 8-bit image, which saturates, so the height
        // pass never sees the overshoot; clamping only the result differs from PIL by up to ~10 grey levels at a hard edge
        // (TorchvisionEqualityTests). The clamps are in place: each resize is a new tensor.
        var across = Resize(crop, box.Height, size, InterpolationMode.Bicubic).clamp_(0.0, 1.0);
        return Resize(across, size, size, InterpolationMode.Bicubic).clamp_(0.0, 1.0).squeeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A (1, C, h, w) batch resized to (<paramref name="height"/>, <paramref name="width"/>), antialiased when
    /// shrinking as PIL is; with antialiasing libtorch's bicubic also switches to PIL's kernel (a = −0.5).
    /// </summary>
    private static Tensor Resize(Tensor batch, long height, long width, InterpolationMode mode) =>
        nn.functional.interpolate(batch, size: [height, width], mode: mode, align_corners: false, antialias: true);

    private CropBox CentreFallback(int height, int width)
    {
        var inputRatio = (double)width / height;
        var (h, w) = inputRatio < MinRatio ? ((int)Math.Round(width / MinRatio), width)
            : inputRatio > MaxRatio ? (height, (int)Math.Round(height * MaxRatio))
            : (height, width);
        return new CropBox((height - h) / 2, (width - w) / 2, h, w);
    }
}
