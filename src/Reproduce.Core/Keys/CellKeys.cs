using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Reproduce.Core.Cells;
using Reproduce.Core.Json;

namespace Reproduce.Core.Keys;

/// <summary>
/// Computes cell keys: SHA-256 over the canonical JSON of <see cref="KeyComponents"/> — stage and
/// its algorithm version (the code identity), resolved parameters, external input identity, the
/// environment tier for TorchSharp stages, and the upstream cells' keys (so a change anywhere
/// upstream re-keys everything downstream, Merkle style). No paths, times or run ids.
/// </summary>
public sealed class CellKeys
{
    /// <summary>ATTENTION: bump when the key document's shape or canonical form changes; it re-keys every cell.</summary>
    public const int KeyFormatVersion = 1;

    private readonly Dictionary<CellAddress, (string Key, KeyComponents Components)> computed = [];

    public CellKeys(CellGraph graph, IStageIdentities stages, RuntimeFingerprint runtime)
    {
        var torchEnvironment = CanonicalJson.Serialize(new JsonObject
        {
            ["device"] = runtime.Device,
            ["torchsharp"] = runtime.TorchSharpVersion,
        });
        const string noEnvironment = "{}";
        foreach (var cell in graph.Cells)
        {
            var descriptor = stages.IdentityOf(cell.Stage);
            var components = new KeyComponents(
                KeyFormatVersion,
                cell.Stage,
                descriptor.Version,
                cell.ParametersJson,
                cell.InputsJson,
                descriptor.UsesTorch ? torchEnvironment : noEnvironment,
                cell.Upstream.ToDictionary(u => u.Address.Text, u => computed[u.Address].Key));
            computed[cell.Address] = (Hash(components), components);
        }
    }

    public string KeyOf(Cell cell) => computed[cell.Address].Key;

    public KeyComponents ComponentsOf(Cell cell) => computed[cell.Address].Components;

    public static string Hash(KeyComponents components)
    {
        var bytes = Encoding.UTF8.GetBytes(CanonicalJson.Serialize(components.ToJson()));
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
