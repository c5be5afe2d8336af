namespace Reproduce.Learning.Augmentations;

/// <summary>
/// The draws of one <see cref="ColorJitter"/>: whether brightness acts before contrast (the only part of torchvision's
/// random order of four ops that acts on gray), and each factor, null for an op that is off.
/// </summary>
public readonly record struct ColorJitterFactors(bool BrightnessFirst, double? Brightness, double? Contrast);
