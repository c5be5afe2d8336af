using System.Globalization;

namespace Reproduce.Core.Errors;

/// <summary>
/// A value quoted in an error message, cut to a readable length: a message names what was wrong, and a 16 MB scalar or
/// a line of a million columns quoted whole would bury it (and the terminal).
/// </summary>
public static class Quoted
{
    /// <summary>How much of a value an error quotes.</summary>
    public const int MaxCharacters = 200;

    /// <summary><paramref name="text"/> in single quotes, its first <see cref="MaxCharacters"/> characters when longer, with its length.</summary>
    public static string Bounded(string text) => text.Length <= MaxCharacters
        ? $"'{Cut(text)}'"
        : $"'{Cut(text)}' ({text.Length.ToString("N0", CultureInfo.InvariantCulture)} characters)";

    /// <summary><paramref name="text"/> unquoted, cut after <see cref="MaxCharacters"/> characters with an ellipsis, for a message that quotes it its own way.</summary>
    public static string Cut(string text) => text.Length <= MaxCharacters ? Printable(text) : Printable(text[..MaxCharacters]) + "…";

    /// <summary>Control characters shown as escapes, so a quoted value cannot rewrite the terminal or add lines.</summary>
    private static string Printable(string text) => text.Any(char.IsControl)
        ? string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()))
        : text;
}
