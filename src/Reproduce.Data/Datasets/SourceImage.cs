using Reproduce.Data.Dicom;
using Reproduce.Data.Images;

namespace Reproduce.Data.Datasets;

/// <summary>One raw image as its dataset stores it: a CT slice (stored values, converted to HU by the recipe) or an 8-bit gray image.</summary>
public abstract record SourceImage;

/// <summary>A decoded DICOM CT slice; the recipe decides how stored values become HU (padding, missing intercept).</summary>
public sealed record CtSlice(DicomImage Image) : SourceImage;

/// <summary>An image that is gray levels already (PNG/JPEG decoded by DESIGN.md §7's formula, MedMNIST arrays).</summary>
public sealed record GraySource(GrayImage Image) : SourceImage;
