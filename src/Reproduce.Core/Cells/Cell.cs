using System.Text.Json.Nodes;
using Reproduce.Core.Json;

namespace Reproduce.Core.Cells;

/// <summary>
/// One unit of work: a stage applied to resolved parameters and upstream cells. The parameters are
/// everything the stage may read that changes its result; they enter the key as canonical JSON.
/// </summary>
public sealed class Cell
{
    public Cell(CellAddress address, JsonObject parameters, JsonObject inputs, IReadOnlyList<Cell> upstream, JsonObject? locations = null)
    {
        Address = address;
        ParametersJson = CanonicalJson.Serialize(parameters);
        InputsJson = CanonicalJson.Serialize(inputs);
        LocationsJson = CanonicalJson.Serialize(locations ?? []);
        Upstream = upstream;
    }

    public CellAddress Address { get; }

    public string Stage => Address.Stage;

    /// <summary>The resolved parameters as canonical JSON (sorted keys, normalised numbers).</summary>
    public string ParametersJson { get; }

    /// <summary>The identity of external inputs (source, URL, version, a local folder's fingerprint).</summary>
    public string InputsJson { get; }

    /// <summary>
    /// Where external inputs live on this machine (a local folder's path). Not part of the key: the inputs hold
    /// the folder's identity (its fingerprint), so the same data elsewhere is the same cell.
    /// </summary>
    public string LocationsJson { get; }

    public IReadOnlyList<Cell> Upstream { get; }

    /// <summary>A fresh, mutable copy of the parameters.</summary>
    public JsonObject Parameters => JsonNode.Parse(ParametersJson)!.AsObject();

    public override string ToString() => Address.Text;
}
