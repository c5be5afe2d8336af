using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reproduce.Core.Cells;
using Reproduce.Core.Errors;
using Reproduce.Core.IO;

namespace Reproduce.Core.Keys;

/// <summary>
/// Everything needed to compute one cell without its manifest, written as <c>spec.json</c>: the key document
/// (<see cref="KeyComponents"/>: stage, version, parameters, input identity, environment, upstream keys), whose
/// SHA-256 is <see cref="Key"/>, the cell's address, and where its external inputs live on this machine
/// (<see cref="Cell.LocationsJson"/>, not hashed). A stage reads its cell through this and nothing else, so
/// what a key names and what a cell computes from are the same values.
/// </summary>
public sealed record CellSpec(string Key, CellAddress Address, KeyComponents Components, JsonObject Locations)
{
    public const string FileName = "spec.json";

    /// <summary>The spec of <paramref name="cell"/> under <paramref name="keys"/>.</summary>
    public static CellSpec Of(Cell cell, CellKeys keys) =>
        new(keys.KeyOf(cell), cell.Address, keys.ComponentsOf(cell), JsonNode.Parse(cell.LocationsJson)!.AsObject());

    public string Stage => Components.Stage;

    /// <summary>A fresh, mutable copy of the parameters.</summary>
    public JsonObject Parameters => JsonNode.Parse(Components.ParametersJson)!.AsObject();

    /// <summary>A fresh, mutable copy of the input identity.</summary>
    public JsonObject Inputs => JsonNode.Parse(Components.InputsJson)!.AsObject();

    /// <summary>The upstream cells as address and key, in the order the key document lists them.</summary>
    public IReadOnlyList<(CellAddress Address, string Key)> Upstream =>
        [.. Components.Upstream.Select(u => (CellAddress.TryParse(u.Key) ?? throw new FormatException($"upstream '{u.Key}' is not a cell address"), u.Value))];

    public JsonObject ToJson() => new()
    {
        ["key"] = Key,
        ["address"] = Address.Text,
        ["components"] = Components.ToJson(),
        ["locations"] = Locations.DeepClone(),
    };

    /// <summary>Writes the spec to <paramref name="path"/> whole or not at all (a temporary file renamed into place).</summary>
    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.Write(path, Encoding.UTF8.GetBytes(ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
    }

    /// <summary>Reads a spec and checks that its key document hashes to its key; any other file fails naming itself.</summary>
    public static CellSpec Read(string path)
    {
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            var key = json["key"]!.GetValue<string>();
            var components = KeyComponents.FromJson(json["components"]!.AsObject());
            var actual = CellKeys.Hash(components);
            if (actual != key)
            {
                throw new CacheException(path, $"the key document hashes to {actual}, not to its key {key}: the file was changed; delete it and plan the cell again");
            }

            var address = json["address"]!.GetValue<string>();
            return new CellSpec(
                key,
                CellAddress.TryParse(address) is { Stage: var stage } parsed && stage == components.Stage ? parsed : throw new FormatException($"'{address}' is not an address of a {components.Stage} cell"),
                components,
                json["locations"]?.AsObject().DeepClone().AsObject() ?? []);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NullReferenceException or KeyNotFoundException)
        {
            throw new CacheException(path, $"not a cell specification ({e.Message})", e);
        }
    }
}
