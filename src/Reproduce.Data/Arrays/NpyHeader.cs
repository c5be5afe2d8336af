using System.Globalization;
using Reproduce.Core.Errors;

namespace Reproduce.Data.Arrays;

/// <summary>
/// Parses the Python dict literal of a .npy header, e.g.
/// <c>{'descr': '&lt;u1', 'fortran_order': False, 'shape': (22, 28, 28), }</c>, without eval.
/// </summary>
internal static class NpyHeader
{
    public static (NpyDType DType, bool FortranOrder, IReadOnlyList<long> Shape) Parse(string header, string source)
    {
        var text = header.Trim().TrimEnd('\n', ' ', '\0');
        if (!text.StartsWith('{') || !text.EndsWith('}'))
        {
            throw Bad(source, header, "not a dict literal");
        }

        string? descr = null;
        bool? fortran = null;
        List<long>? shape = null;
        var position = 1;
        while (true)
        {
            SkipSpace(text, ref position);
            if (text[position] == '}')
            {
                break;
            }

            var key = ReadQuoted(text, ref position, source, header);
            SkipSpace(text, ref position);
            Expect(text, ref position, ':', source, header);
            SkipSpace(text, ref position);
            switch (key)
            {
                case "descr":
                    if (text[position] is not ('\'' or '"'))
                    {
                        throw new DataFormatException(source, $"structured arrays are not supported (descr {Snippet(text, position)})");
                    }

                    descr = ReadQuoted(text, ref position, source, header);
                    break;
                case "fortran_order":
                    fortran = ReadWord(text, ref position) switch
                    {
                        "True" => true,
                        "False" => false,
                        var other => throw Bad(source, header, $"fortran_order is '{other}'"),
                    };
                    break;
                case "shape":
                    shape = ReadShape(text, ref position, source, header);
                    break;
                default:
                    throw Bad(source, header, $"unexpected key '{key}'");
            }

            SkipSpace(text, ref position);
            if (text[position] == ',')
            {
                position++;
            }
        }

        if (descr is null || fortran is null || shape is null)
        {
            throw Bad(source, header, "descr, fortran_order and shape are all required");
        }

        var dtype = NpyDType.Parse(descr) ?? throw new DataFormatException(source, descr.Contains('O')
            ? $"object arrays (dtype {descr}) are not supported: they hold pickled Python objects"
            : $"dtype {descr} is not supported (little-endian integers u1..u8, i1..i8 and floats f2, f4, f8 are)");
        return (dtype, fortran.Value, shape);
    }

    private static List<long> ReadShape(string text, ref int position, string source, string header)
    {
        Expect(text, ref position, '(', source, header);
        var dimensions = new List<long>();
        while (true)
        {
            SkipSpace(text, ref position);
            if (text[position] == ')')
            {
                position++;
                return dimensions;
            }

            var word = ReadWord(text, ref position);
            if (!long.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var dimension))
            {
                throw Bad(source, header, $"shape dimension '{word}'");
            }

            dimensions.Add(dimension);
            SkipSpace(text, ref position);
            if (text[position] == ',')
            {
                position++;
            }
        }
    }

    private static string ReadQuoted(string text, ref int position, string source, string header)
    {
        var quote = text[position];
        if (quote is not ('\'' or '"'))
        {
            throw Bad(source, header, $"expected a quoted string at {Snippet(text, position)}");
        }

        var end = text.IndexOf(quote, position + 1);
        if (end < 0)
        {
            throw Bad(source, header, "unterminated string");
        }

        var value = text[(position + 1)..end];
        position = end + 1;
        return value;
    }

    private static string ReadWord(string text, ref int position)
    {
        var start = position;
        while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_'))
        {
            position++;
        }

        return text[start..position];
    }

    private static void Expect(string text, ref int position, char expected, string source, string header)
    {
        if (position >= text.Length || text[position] != expected)
        {
            throw Bad(source, header, $"expected '{expected}' at {Snippet(text, position)}");
        }

        position++;
    }

    private static void SkipSpace(string text, ref int position)
    {
        while (position < text.Length - 1 && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    private static string Snippet(string text, int position) => $"'{text[Math.Min(position, text.Length)..Math.Min(text.Length, position + 12)]}'";

    private static DataFormatException Bad(string source, string header, string problem) =>
        new(source, $"malformed .npy header ({problem}): {header.Trim()}");
}
