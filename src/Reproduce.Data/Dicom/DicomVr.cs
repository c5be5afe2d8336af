using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Reproduce.Data.Dicom;

/// <summary>Value representations: which two-letter codes exist and how long their explicit-VR length field is.</summary>
public static class DicomVr
{
    /// <summary>The VR of an element whose type the reader cannot know (implicit VR, not in the small dictionary).</summary>
    public const string Unknown = "UN";

    // Keyed by the two VR bytes so that parsing maps them to one shared string without allocating.
    private static readonly FrozenDictionary<ushort, string> Known = new[]
    {
        "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW",
        "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV",
    }.ToFrozenDictionary(vr => (ushort)((vr[0] << 8) | vr[1]));

    /// <summary>Whether the two bytes spell a VR defined by the standard; used both to parse and to sniff meta-less files.</summary>
    public static bool TryParse(byte first, byte second, [NotNullWhen(true)] out string? vr) =>
        Known.TryGetValue((ushort)((first << 8) | second), out vr);

    /// <summary>
    /// These VRs have 2 reserved bytes and a 4-byte length in explicit-VR encodings (PS3.5 Table 7.1-1);
    /// every other VR has a 2-byte length.
    /// </summary>
    public static bool HasLongLength(string vr) =>
        vr is "OB" or "OD" or "OF" or "OL" or "OV" or "OW" or "SQ" or "SV" or "UC" or "UN" or "UR" or "UT" or "UV";

    /// <summary>Text VRs whose leading spaces are significant, so only trailing padding is trimmed.</summary>
    internal static bool KeepsLeadingSpaces(string vr) => vr is "LT" or "ST" or "UT" or "UC";
}
