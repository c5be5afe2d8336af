using System.Text.Json;
using System.Text.Json.Nodes;
using Reproduce.Core.Keys;

namespace Reproduce.Core.Cache;

/// <summary>
/// The <c>meta.json</c> of a published cell: its key and every key component (for diffs), timings,
/// host, provenance and what the stage reported. A cell directory is complete exactly when its
/// meta.json exists, since both are published in one rename.
/// </summary>
public sealed record CellMeta
{
    /// <summary>ATTENTION: bump when the meta.json layout changes incompatibly.</summary>
    public const int SchemaVersion = 1;

    public const string FileName = "meta.json";

    public required string Key { get; init; }

    public required string Address { get; init; }

    public required KeyComponents Components { get; init; }

    public required DateTimeOffset Started { get; init; }

    public required DateTimeOffset Finished { get; init; }

    public required string Host { get; init; }

    public JsonObject Provenance { get; init; } = [];

    public JsonObject Metrics { get; init; } = [];

    public JsonObject Details { get; init; } = [];

    public string Stage => Components.Stage;

    public double Seconds => (Finished - Started).TotalSeconds;

    public JsonObject ToJson() => new()
    {
        ["schema"] = SchemaVersion,
        ["key"] = Key,
        ["stage"] = Stage,
        ["address"] = Address,
        ["status"] = "ok",
        ["started"] = Started.ToString("O"),
        ["finished"] = Finished.ToString("O"),
        ["seconds"] = Math.Round(Seconds, 3),
        ["host"] = Host,
        ["components"] = Components.ToJson(),
        ["provenance"] = Provenance.DeepClone(),
        ["metrics"] = Metrics.DeepClone(),
        ["details"] = Details.DeepClone(),
    };

    public static CellMeta FromJson(JsonObject json)
    {
        var schema = json["schema"]?.GetValue<int>();
        if (schema != SchemaVersion)
        {
            throw new FormatException($"meta.json schema {schema?.ToString() ?? "missing"}, expected {SchemaVersion}");
        }

        return new CellMeta
        {
            Key = json["key"]!.GetValue<string>(),
            Address = json["address"]!.GetValue<string>(),
            Components = KeyComponents.FromJson(json["components"]!.AsObject()),
            Started = DateTimeOffset.Parse(json["started"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            Finished = DateTimeOffset.Parse(json["finished"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            Host = json["host"]!.GetValue<string>(),
            Provenance = json["provenance"]?.AsObject().DeepClone().AsObject() ?? [],
            Metrics = json["metrics"]?.AsObject().DeepClone().AsObject() ?? [],
            Details = json["details"]?.AsObject().DeepClone().AsObject() ?? [],
        };
    }

    public string Serialize() => ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
