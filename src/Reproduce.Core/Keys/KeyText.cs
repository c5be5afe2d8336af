using Reproduce.Core.Errors;

namespace Reproduce.Core.Keys;

/// <summary>
/// What a cell key looks like as text: 64 lower-case hex digits (a SHA-256), or a prefix of at least 12 of them where a
/// command accepts one. Every path built from a key goes through <see cref="Require"/>, so a key typed on a command
/// line or read from a file can never name a folder outside the cache (<c>..</c>, <c>/</c>, an empty key).
/// </summary>
public static class KeyText
{
    public const int Length = 64;

    /// <summary>The shortest prefix a command accepts for a key: 48 bits, unique among any cache's keys in practice.</summary>
    public const int ShortestPrefix = 12;

    public static bool IsKey(string text) => text.Length == Length && text.All(char.IsAsciiHexDigitLower);

    public static bool IsPrefix(string text) => text.Length is >= ShortestPrefix and <= Length && text.All(char.IsAsciiHexDigitLower);

    /// <summary><paramref name="text"/> when it is a whole key; otherwise a usage error that says what a key is.</summary>
    public static string Require(string text) => IsKey(text)
        ? text
        : throw new UsageException($"{Quoted.Bounded(text)} is not a cell key: {Length} lower-case hex digits as 'reproduce plan' prints them");

    /// <summary><paramref name="text"/> when it is a key or a prefix a command accepts; otherwise a usage error.</summary>
    public static string RequirePrefix(string text) => IsPrefix(text)
        ? text
        : throw new UsageException($"{Quoted.Bounded(text)} is not a cell key: {Length} lower-case hex digits as 'reproduce plan' prints them (a unique prefix of at least {ShortestPrefix} will do)");
}
