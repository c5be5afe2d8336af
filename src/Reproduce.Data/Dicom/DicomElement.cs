namespace Reproduce.Data.Dicom;

/// <summary>
/// One parsed element: where it sits in the parsed bytes, not its decoded value (values are decoded on
/// request by <see cref="DicomDataset"/>, so skipping a 500 kB pixel element costs nothing).
/// </summary>
/// <param name="Offset">Byte offset of the element's tag.</param>
/// <param name="ValueOffset">Byte offset of the first value byte.</param>
/// <param name="Length">Value length in bytes; for undefined-length elements, the bytes up to the closing delimiter.</param>
public sealed record DicomElement(DicomTag Tag, string Vr, int Offset, int ValueOffset, int Length, bool UndefinedLength = false)
{
    /// <summary>The items of a sequence (empty for other elements).</summary>
    public IReadOnlyList<DicomDataset> Items { get; init; } = [];

    /// <summary>The fragments of encapsulated pixel data; null for native pixel data and other elements.</summary>
    public EncapsulatedPixelData? Encapsulated { get; init; }

    public override string ToString() => $"{Tag} {Vr} at byte {Offset}, {(UndefinedLength ? "undefined length" : $"{Length} bytes")}";
}
