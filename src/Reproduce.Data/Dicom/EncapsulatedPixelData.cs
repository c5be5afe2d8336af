namespace Reproduce.Data.Dicom;

/// <summary>
/// Encapsulated pixel data (PS3.5 §A.4): the Basic Offset Table (possibly empty) and the fragments that follow it.
/// </summary>
/// <param name="OffsetTable">Byte offsets of each frame's first fragment item, counted from the first fragment item.</param>
public sealed record EncapsulatedPixelData(IReadOnlyList<uint> OffsetTable, IReadOnlyList<PixelFragment> Fragments)
{
    // Every fragment item has an 8-byte header (tag + length); the offset table counts those bytes too.
    private const int ItemHeaderLength = 8;

    /// <summary>
    /// Which fragments make up each of <paramref name="frames"/> frames, as index ranges into <see cref="Fragments"/>.
    /// Returns null and says why when the split cannot be known.
    /// </summary>
    public IReadOnlyList<Range>? AssignFrames(int frames, out string? problem)
    {
        problem = null;
        if (Fragments.Count == 0)
        {
            problem = "the encapsulated pixel data has no fragments";
            return null;
        }

        if (OffsetTable.Count == 0)
        {
            // Without an offset table only two layouts are unambiguous: one frame in all fragments, or one fragment per frame.
            if (frames == 1)
            {
                return [0..Fragments.Count];
            }

            if (Fragments.Count == frames)
            {
                return Enumerable.Range(0, frames).Select(i => i..(i + 1)).ToArray();
            }

            problem = $"{Fragments.Count} fragments cannot be split into {frames} frames without a basic offset table";
            return null;
        }

        if (OffsetTable.Count != frames)
        {
            problem = $"the basic offset table lists {OffsetTable.Count} frames, but NumberOfFrames is {frames}";
            return null;
        }

        var starts = new int[frames];
        var fragment = 0;
        for (var frame = 0; frame < frames; frame++)
        {
            // Offsets must point exactly at fragment items, in increasing order; walk the fragments once.
            while (fragment < Fragments.Count && ItemStart(fragment) < OffsetTable[frame])
            {
                fragment++;
            }

            if (fragment == Fragments.Count || ItemStart(fragment) != OffsetTable[frame] || (frame > 0 && fragment <= starts[frame - 1]))
            {
                problem = $"basic offset table entry {frame} ({OffsetTable[frame]}) does not point at the start of a new fragment";
                return null;
            }

            starts[frame] = fragment;
        }

        return Enumerable.Range(0, frames)
            .Select(i => starts[i]..(i + 1 < frames ? starts[i + 1] : Fragments.Count))
            .ToArray();
    }

    private long ItemStart(int fragment) =>
        (long)Fragments[fragment].ValueOffset - ItemHeaderLength - (Fragments[0].ValueOffset - ItemHeaderLength);
}
