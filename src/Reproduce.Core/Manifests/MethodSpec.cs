using System.Text.Json.Nodes;

namespace Reproduce.Core.Manifests;

/// <summary>
/// One method's resolved hyper-parameters: every parameter its descriptor declares, with the
/// manifest's value or the reference default.
/// </summary>
public sealed record MethodSpec(string Id, IReadOnlyDictionary<string, JsonNode> Parameters)
{
    public long Integer(string name) => Parameters[name].GetValue<long>();

    public double Real(string name) => Parameters[name].GetValue<double>();

    public bool Flag(string name) => Parameters[name].GetValue<bool>();

    public string Choice(string name) => Parameters[name].GetValue<string>();

    public IReadOnlyList<double> Reals(string name) =>
        Parameters[name].AsArray().Select(v => v!.GetValue<double>()).ToList();

    public IReadOnlyList<long> Integers(string name) =>
        Parameters[name].AsArray().Select(v => v!.GetValue<long>()).ToList();

    public override string ToString() =>
        $"{Id}({string.Join(", ", Parameters.Select(p => $"{p.Key}={p.Value.ToJsonString()}"))})";
}
