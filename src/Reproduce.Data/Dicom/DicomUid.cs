using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Reproduce.Data.Dicom;

/// <summary>
/// Unique identifiers for files this project writes. A UID is derived from a name (for synthetic data: the
/// seed and the item's place in the data set), so the same name always gives the same UID and the same seed
/// the same files, while different names give different UIDs. It lives under the <c>2.25</c> root, which
/// PS3.5 §B.2 reserves for UIDs made from a UUID, written as one decimal integer.
/// </summary>
public static class DicomUid
{
    /// <summary>The root for UUID-derived UIDs (PS3.5 §B.2, ISO/IEC 9834-8).</summary>
    public const string UuidRoot = "2.25";

    /// <summary>The longest UID the standard allows (PS3.5 §9.1).</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// <c>2.25.&lt;n&gt;</c> where n is a name-based UUID: version 8 built from SHA-256 of the name, as in
    /// RFC 9562 Appendix B.2. At most 44 characters.
    /// </summary>
    public static string FromName(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // variant 10xx
        var value = BinaryPrimitives.ReadUInt128BigEndian(hash.AsSpan(0, 16));
        return $"{UuidRoot}.{value.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// Whether <paramref name="uid"/> has valid UID syntax: at most 64 characters, dot-separated components of
    /// digits, none empty, none with a leading zero unless it is "0".
    /// </summary>
    public static bool IsValid(string uid) =>
        uid.Length is > 0 and <= MaxLength &&
        uid.Split('.').All(component => component.Length > 0 && component.All(char.IsAsciiDigit) && (component.Length == 1 || component[0] != '0'));
}
