namespace Reproduce.Data.Images;

/// <summary>
/// The file encodings real downstream images come in (DATASETS.md §A2, §A4), as far as Skia's encoders can
/// write them: 8-bit PNG of colour type 0, 2 or 6 (never interlaced) and baseline JPEG with one or three
/// components. Skia writes no progressive JPEG, so that variant of COVID-CT cannot be reproduced here.
/// </summary>
public enum ImageEncoding
{
    /// <summary>PNG colour type 0 (gray), from Skia's Gray8.</summary>
    PngGray,

    /// <summary>PNG colour type 2 (RGB), from opaque RGBA.</summary>
    PngRgb,

    /// <summary>PNG colour type 6 (RGBA, alpha 255 everywhere), from unpremultiplied RGBA.</summary>
    PngRgba,

    /// <summary>Baseline (SOF0) JPEG with one component.</summary>
    JpegGray,

    /// <summary>Baseline (SOF0) JPEG with three components (YCbCr, 4:2:0).</summary>
    JpegRgb,
}
