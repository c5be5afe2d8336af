using System.Text.Json.Nodes;
using Reproduce.Core.Json;

namespace Reproduce.Core.Keys;

/// <summary>
/// Everything a cell key is computed from, kept whole in <c>meta.json</c> so the planner can say
/// which part changed when a cell's key moves.
/// </summary>
public sealed record KeyComponents(
    int KeyFormat,
    string Stage,
    int StageVersion,
    string ParametersJson,
    string InputsJson,
    string EnvironmentJson,
    IReadOnlyDictionary<string, string> Upstream)
{
    /// <summary>The components as one JSON object (the document that is hashed).</summary>
    public JsonObject ToJson()
    {
        var upstream = new JsonObject();
        foreach (var (address, key) in Upstream)
        {
            upstream[address] = key;
        }

        return new JsonObject
        {
            ["key_format"] = KeyFormat,
            ["stage"] = Stage,
            ["stage_version"] = StageVersion,
            ["params"] = JsonNode.Parse(ParametersJson),
            ["inputs"] = JsonNode.Parse(InputsJson),
            ["environment"] = JsonNode.Parse(EnvironmentJson),
            ["upstream"] = upstream,
        };
    }

    public static KeyComponents FromJson(JsonObject json) => new(
        json["key_format"]!.GetValue<int>(),
        json["stage"]!.GetValue<string>(),
        json["stage_version"]!.GetValue<int>(),
        CanonicalJson.Serialize(json["params"]),
        CanonicalJson.Serialize(json["inputs"]),
        CanonicalJson.Serialize(json["environment"]),
        json["upstream"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()));
}
