namespace Reproduce.Data.Dicom;

/// <summary>An attribute tag (group, element), printed the way the standard and dcmdump print it: (0028,0010).</summary>
public readonly record struct DicomTag(ushort Group, ushort Element) : IComparable<DicomTag>
{
    /// <summary>The tag as one 32-bit number, group in the high half: the order elements appear in a data set.</summary>
    public uint Value => ((uint)Group << 16) | Element;

    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    public override string ToString() => $"({Group:X4},{Element:X4})";
}
