namespace Reproduce.Learning.Augmentations;

/// <summary>A crop rectangle in pixels, as torchvision's <c>get_params</c> returns it (i, j, h, w).</summary>
public readonly record struct CropBox(int Top, int Left, int Height, int Width);
