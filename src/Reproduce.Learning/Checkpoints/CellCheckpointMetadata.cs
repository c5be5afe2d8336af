using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reproduce.Core.Cells;
using Reproduce.Core.Errors;
using Reproduce.Core.Json;
using Reproduce.Core.Keys;

namespace Reproduce.Learning.Checkpoints;

/// <summary>
/// What a safetensors file written by a cell says about that cell, in the header's <c>__metadata__</c>: the cell's
/// key and address, its whole key document (stage, stage version, canonical parameters, inputs, environment and
/// upstream keys, exactly as <see cref="CellSpec"/> holds them), the full TorchSharp version, the suite's version
/// and the layout version of these entries. A checkpoint found on its own therefore names the cell that made it,
/// and <see cref="Read"/> checks that the key document still hashes to the key. Nothing here varies between runs
/// of one cell (no times, no host, no commit: those are in <c>meta.json</c>), so the cell's bytes stay the same
/// whichever executor computes it (DESIGN.md §6 "Determinism").
/// </summary>
public sealed record CellCheckpointMetadata(string Key, CellAddress Address, KeyComponents Components, string TorchSharpVersion, string ReproduceVersion)
{
    /// <summary>The layout version of the entries below; bump it when they change.</summary>
    public const int FormatVersion = 1;

    private const string FormatEntry = "reproduce.checkpoint_format";
    private const string KeyEntry = "reproduce.cell_key";
    private const string AddressEntry = "reproduce.cell_address";
    private const string KeyFormatEntry = "reproduce.key_format";
    private const string StageEntry = "reproduce.stage";
    private const string StageVersionEntry = "reproduce.stage_version";
    private const string ParametersEntry = "reproduce.params";
    private const string InputsEntry = "reproduce.inputs";
    private const string EnvironmentEntry = "reproduce.environment";
    private const string UpstreamEntry = "reproduce.upstream";
    private const string TorchSharpEntry = "reproduce.torchsharp";
    private const string VersionEntry = "reproduce.version";

    /// <summary>The metadata of a file written by the cell of <paramref name="cell"/> with this build.</summary>
    public static CellCheckpointMetadata Of(CellSpec cell) => new(
        cell.Key,
        cell.Address,
        cell.Components,
        TorchRuntime.FullVersion,
        typeof(CellCheckpointMetadata).Assembly.GetName().Version?.ToString() ?? "unknown");

    /// <summary>The entries for <see cref="SafeTensors.Write"/>, to merge with a file's own.</summary>
    public IReadOnlyDictionary<string, string> ToEntries()
    {
        var invariant = CultureInfo.InvariantCulture;
        var upstream = new JsonObject();
        foreach (var (address, key) in Components.Upstream)
        {
            upstream[address] = key;
        }

        return new Dictionary<string, string>
        {
            [FormatEntry] = FormatVersion.ToString(invariant),
            [KeyEntry] = Key,
            [AddressEntry] = Address.Text,
            [KeyFormatEntry] = Components.KeyFormat.ToString(invariant),
            [StageEntry] = Components.Stage,
            [StageVersionEntry] = Components.StageVersion.ToString(invariant),
            [ParametersEntry] = Components.ParametersJson,
            [InputsEntry] = Components.InputsJson,
            [EnvironmentEntry] = Components.EnvironmentJson,
            [UpstreamEntry] = CanonicalJson.Serialize(upstream),
            [TorchSharpEntry] = TorchSharpVersion,
            [VersionEntry] = ReproduceVersion,
        };
    }

    /// <summary>
    /// The cell metadata of the safetensors file at <paramref name="path"/>. A corrupt header, a file without these
    /// entries, a format this build does not know, or a key document that no longer hashes to its key fails naming the file.
    /// </summary>
    public static CellCheckpointMetadata Read(string path)
    {
        var entries = SafeTensors.ReadMetadata(path);
        if (!entries.TryGetValue(FormatEntry, out var format))
        {
            throw new DataFormatException(path, $"no '{FormatEntry}' entry in the metadata: not a file written by a cell");
        }

        if (format != FormatVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new DataFormatException(path, $"cell metadata format {format}; this build reads format {FormatVersion}");
        }

        try
        {
            var components = new KeyComponents(
                int.Parse(Entry(entries, KeyFormatEntry, path), CultureInfo.InvariantCulture),
                Entry(entries, StageEntry, path),
                int.Parse(Entry(entries, StageVersionEntry, path), CultureInfo.InvariantCulture),
                CanonicalJson.Serialize(JsonNode.Parse(Entry(entries, ParametersEntry, path))),
                CanonicalJson.Serialize(JsonNode.Parse(Entry(entries, InputsEntry, path))),
                CanonicalJson.Serialize(JsonNode.Parse(Entry(entries, EnvironmentEntry, path))),
                JsonNode.Parse(Entry(entries, UpstreamEntry, path))!.AsObject().ToDictionary(u => u.Key, u => u.Value!.GetValue<string>()));
            var key = Entry(entries, KeyEntry, path);
            var hashed = CellKeys.Hash(components);
            if (hashed != key)
            {
                throw new DataFormatException(path, $"the cell's key document hashes to {hashed}, not to its key {key}: the metadata was changed");
            }

            var address = Entry(entries, AddressEntry, path);
            return new CellCheckpointMetadata(
                key,
                CellAddress.TryParse(address) is { } parsed && parsed.Stage == components.Stage ? parsed : throw new DataFormatException(path, $"'{address}' is not an address of a {components.Stage} cell"),
                components,
                Entry(entries, TorchSharpEntry, path),
                Entry(entries, VersionEntry, path));
        }
        catch (Exception e) when (e is JsonException or FormatException or OverflowException or InvalidOperationException or NullReferenceException)
        {
            throw new DataFormatException(path, $"malformed cell metadata ({e.Message})", inner: e);
        }
    }

    private static string Entry(IReadOnlyDictionary<string, string> entries, string name, string path) =>
        entries.TryGetValue(name, out var value) ? value : throw new DataFormatException(path, $"the cell metadata has no '{name}' entry");
}
