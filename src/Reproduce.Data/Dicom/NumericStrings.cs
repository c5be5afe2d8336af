using System.Globalization;

namespace Reproduce.Data.Dicom;

/// <summary>
/// Parsing of the DS (decimal string) and IS (integer string) VRs as real files write them: padded with
/// spaces or NULs, with leading zeros and signs, and in exponent form ("1.0E+00", " -1024 ", "0001").
/// </summary>
public static class NumericStrings
{
    private const string Padding = " \0";

    public static bool TryParseDecimal(ReadOnlySpan<char> text, out double value)
    {
        var trimmed = text.Trim(Padding);
        // NumberStyles.Float admits exponents and signs but not thousands separators; DS never has those.
        if (!trimmed.IsEmpty
            && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value))
        {
            return true;
        }

        value = 0;
        return false;
    }

    public static bool TryParseInteger(ReadOnlySpan<char> text, out int value)
    {
        var trimmed = text.Trim(Padding);
        if (int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        // Some writers put "12.0" or "1E1" into IS; an integral decimal has only one possible meaning, so accept it.
        if (TryParseDecimal(trimmed, out var number) && number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)number;
            return true;
        }

        value = 0;
        return false;
    }
}
