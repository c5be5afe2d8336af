using static TorchSharp.torch;

namespace Reproduce.Learning.Augmentations;

/// <summary>
/// torchvision's RandomRotation(degrees): an angle ~ U[−degrees, degrees], counter-clockwise about
/// the image centre, same size, zeros outside. The authors' CT pipelines (PROTOCOL.md §5) leave
/// RandomRotation at its default nearest-neighbour interpolation, so this resamples nearest too.
/// </summary>
public sealed class RandomRotation : IImageTransform
{
    public RandomRotation(double degrees)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(degrees);
        Degrees = degrees;
    }

    public double Degrees { get; }

    public Tensor Apply(Tensor image, SampleRandom random) => Rotate(image, random.Uniform(-Degrees, Degrees));

    /// <summary>Rotates a (C, H, W) image counter-clockwise by <paramref name="degrees"/> (torchvision <c>rotate</c>, nearest, fill 0).</summary>
    public static Tensor Rotate(Tensor image, double degrees)
    {
        var height = (double)image.shape[^2];
        var width = (double)image.shape[^1];
        var radians = degrees * Math.PI / 180.0;
        var (cos, sin) = (Math.Cos(radians), Math.Sin(radians));

        using var scope = NewDisposeScope();
        // The inverse map, output → input, in pixel units about the centre (y points down):
        // x_in = cos·x − sin·y, y_in = sin·x + cos·y. In grid_sample's [−1, 1] coordinates
        // (align_corners false: ±1 are the outer pixel edges) each axis is scaled by its own side.
        var theta = tensor(new[] { cos, -sin * height / width, 0, sin * width / height, cos, 0 }, dtype: ScalarType.Float32, device: image.device)
            .reshape(1, 2, 3);
        var batch = image.unsqueeze(0);
        var grid = nn.functional.affine_grid(theta, batch.shape, align_corners: false);
        var rotated = nn.functional.grid_sample(batch, grid, GridSampleMode.Nearest, GridSamplePaddingMode.Zeros, align_corners: false);
        return rotated.squeeze(0).MoveToOuterDisposeScope();
    }
}
