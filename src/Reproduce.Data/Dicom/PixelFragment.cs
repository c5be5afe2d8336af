namespace Reproduce.Data.Dicom;

/// <summary>One item of encapsulated pixel data: where its value starts in the parsed bytes and how long it is.</summary>
public readonly record struct PixelFragment(int ValueOffset, int Length);
