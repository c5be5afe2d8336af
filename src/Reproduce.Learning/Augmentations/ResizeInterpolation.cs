namespace Reproduce.Learning.Augmentations;

/// <summary>The resampling filter of a resized crop (METHODS.md §0.4).</summary>
public enum ResizeInterpolation
{
    /// <summary>torchvision's default: MoCo, SwAV and the authors' CT pipelines.</summary>
    Bilinear,

    /// <summary>BYOL and SparK.</summary>
    Bicubic,
}
