using System.Text.Json.Nodes;
using Reproduce.Core.Json;
using Reproduce.Core.Keys;

namespace Reproduce.Core.Planning;

/// <summary>What differs between two cells' key components, down to the changed parameter.</summary>
public static class KeyDiff
{
    public static IReadOnlyList<KeyChange> Between(KeyComponents before, KeyComponents after)
    {
        var changes = new List<KeyChange>();
        if (before.KeyFormat != after.KeyFormat)
        {
            changes.Add(new KeyChange("code", "key_format", before.KeyFormat.ToString(), after.KeyFormat.ToString()));
        }

        if (before.StageVersion != after.StageVersion)
        {
            changes.Add(new KeyChange("code", "stage_version", before.StageVersion.ToString(), after.StageVersion.ToString()));
        }

        Compare("params", before.ParametersJson, after.ParametersJson, changes);
        Compare("inputs", before.InputsJson, after.InputsJson, changes);
        Compare("environment", before.EnvironmentJson, after.EnvironmentJson, changes);
        foreach (var address in before.Upstream.Keys.Union(after.Upstream.Keys).Order(StringComparer.Ordinal))
        {
            var old = before.Upstream.GetValueOrDefault(address);
            var now = after.Upstream.GetValueOrDefault(address);
            if (old != now)
            {
                changes.Add(new KeyChange("upstream", address, old?[..12], now?[..12]));
            }
        }

        return changes;
    }

    private static void Compare(string component, string beforeJson, string afterJson, List<KeyChange> changes)
    {
        if (beforeJson == afterJson)
        {
            return;
        }

        var old = Flatten(JsonNode.Parse(beforeJson));
        var now = Flatten(JsonNode.Parse(afterJson));
        foreach (var path in old.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            var a = old.GetValueOrDefault(path);
            var b = now.GetValueOrDefault(path);
            if (a != b)
            {
                changes.Add(new KeyChange(component, path, a, b));
            }
        }
    }

    /// <summary>Leaf values by dotted path; lists are leaves, so a changed list shows whole.</summary>
    private static Dictionary<string, string> Flatten(JsonNode? node)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(node, "", leaves);
        return leaves;

        static void Walk(JsonNode? node, string path, Dictionary<string, string> leaves)
        {
            if (node is JsonObject obj)
            {
                foreach (var (name, value) in obj)
                {
                    Walk(value, path.Length == 0 ? name : $"{path}.{name}", leaves);
                }
            }
            else
            {
                leaves[path] = CanonicalJson.Serialize(node);
            }
        }
    }
}
