using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reproduce.Core.Json;

/// <summary>
/// The one JSON form that enters cache keys: object keys sorted ordinally, no whitespace, numbers
/// normalised (an integral value prints as an integer, so 1, 1.0 and 1e0 are the same; any other
/// value in shortest round-trip form). Changing this changes every key: bump
/// <see cref="CellKeys.KeyFormatVersion"/> if you must.
/// </summary>
public static class CanonicalJson
{
    public static string Serialize(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(node, builder);
        return builder.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder output)
    {
        switch (node)
        {
            case null:
                output.Append("null");
                break;
            case JsonObject obj:
                output.Append('{');
                var first = true;
                foreach (var (name, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    output.Append(first ? "" : ",");
                    first = false;
                    output.Append(JsonSerializer.Serialize(name)).Append(':');
                    Write(value, output);
                }

                output.Append('}');
                break;
            case JsonArray array:
                output.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    output.Append(i == 0 ? "" : ",");
                    Write(array[i], output);
                }

                output.Append(']');
                break;
            case JsonValue value:
                WriteValue(value, output);
                break;
        }
    }

    private static void WriteValue(JsonValue value, StringBuilder output)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.Number:
                output.Append(Number(double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture)));
                break;
            case JsonValueKind.String:
                output.Append(JsonSerializer.Serialize(value.GetValue<string>()));
                break;
            case JsonValueKind.True:
                output.Append("true");
                break;
            case JsonValueKind.False:
                output.Append("false");
                break;
            default:
                output.Append("null");
                break;
        }
    }

    /// <summary>A number in its canonical text: integral values without a fraction, others round-trip.</summary>
    public static string Number(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"{value} cannot enter a cache key", nameof(value));
        }

        if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }
}
