using Reproduce.Data.Images;

namespace Reproduce.Data.Datasets.Synthetic;

/// <summary>
/// A display window in Hounsfield units (DATASETS.md §B1 "Windows"): level ± width/2 maps linearly onto
/// 0–255, clamped. The downstream stand-ins are 8-bit images a radiologist would have windowed, as the real ones are.
/// </summary>
internal sealed record HuWindow(double Level, double Width)
{
    /// <summary>Lung window, WL −600 / WW 1500.</summary>
    public static HuWindow Lung { get; } = new(-600, 1500);

    /// <summary>Brain window, WL 40 / WW 80.</summary>
    public static HuWindow Brain { get; } = new(40, 80);

    public byte Apply(float hu) => GrayLevel(255 * (hu - (Level - (Width / 2))) / Width);

    /// <summary>A square phantom of side <paramref name="size"/> in HU as an 8-bit image.</summary>
    public GrayImage Apply(float[] hu, int size) => new(size, size, hu.Select(Apply).ToArray());

    /// <summary>A gray level rounded and clamped to a byte.</summary>
    public static byte GrayLevel(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);
}
