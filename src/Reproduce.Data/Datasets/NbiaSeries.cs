using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Reproduce.Core.Errors;

namespace Reproduce.Data.Datasets;

/// <summary>
/// One series of an NBIA <c>getSeries</c> listing, with the fields that place it on disk. The
/// identifiers become folder names, so they are checked to be plain names (a listing must not be
/// able to write outside the collection folder).
/// </summary>
internal sealed partial record NbiaSeries(string SeriesInstanceUid, string StudyInstanceUid, string PatientId, int? ImageCount)
{
    /// <summary>Parses a listing (a JSON array of series objects); <paramref name="source"/> (URL or file) is named in errors.</summary>
    public static IReadOnlyList<NbiaSeries> ParseListing(string json, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(source, $"the series listing is not valid JSON (line {e.LineNumber + 1}): {e.Message}", inner: e);
        }

        if (root is not JsonArray array)
        {
            throw new DataFormatException(source, $"the series listing is a JSON {root?.GetValueKind().ToString().ToLowerInvariant() ?? "null"}, expected an array of series");
        }

        return [.. array.Select((item, index) => item is JsonObject series
            ? new NbiaSeries(
                FolderName(series, "SeriesInstanceUID", index, source),
                FolderName(series, "StudyInstanceUID", index, source),
                FolderName(series, "PatientID", index, source),
                ImageCountOf(series))
            : throw new DataFormatException(source, $"series {index} of the listing is not a JSON object"))];
    }

    private static string FolderName(JsonObject series, string key, int index, string source)
    {
        var value = series[key] is JsonValue node && node.TryGetValue<string>(out var text) ? text : null;
        if (value is null)
        {
            throw new DataFormatException(source, $"series {index} of the listing has no string '{key}'");
        }

        if (!PlainName().IsMatch(value))
        {
            throw new DataFormatException(source, $"series {index} of the listing has {key} '{value}', which is not usable as a folder name (only 0-9, A-Z, a-z, '.', '_', '-', and not dots alone)");
        }

        return value;
    }

    /// <summary>NBIA sends ImageCount as a number; a string holding one is accepted too, anything else means unknown.</summary>
    private static int? ImageCountOf(JsonObject series) => series["ImageCount"] switch
    {
        JsonValue node when node.TryGetValue<int>(out var count) => count,
        JsonValue node when node.TryGetValue<string>(out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) => count,
        _ => null,
    };

    [GeneratedRegex(@"^(?!\.+\z)[0-9A-Za-z._-]{1,255}\z")]
    private static partial Regex PlainName();
}
