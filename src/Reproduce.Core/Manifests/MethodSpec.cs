using System.Text.Json.Nodes;
using Reproduce.Core.Methods;

namespace Reproduce.Core.Manifests;

/// <summary>
/// One method's resolved hyper-parameters: every parameter its descriptor declares, with the
/// manifest's value or the reference default.
/// </summary>
public sealed record MethodSpec(string Id, IReadOnlyDictionary<string, JsonNode> Parameters)
{
    /// <summary>The method with every parameter at its reference default, as a manifest that names only the method.</summary>
    public static MethodSpec Defaults(MethodDescriptor descriptor) =>
        new(descriptor.Id, descriptor.Parameters.ToDictionary(p => p.Name, p => p.Default.DeepClone()));

    /// <summary>
    /// A copy with <paramref name="name"/> set to <paramref name="value"/>, read back from its JSON text
    /// as a manifest value would be (so an int reads as the long an integer parameter declares).
    /// </summary>
    public MethodSpec With(string name, JsonNode value)
    {
        if (!Parameters.ContainsKey(name))
        {
            throw new ArgumentException($"{Id} has no parameter '{name}'", nameof(name));
        }

        return this with { Parameters = new Dictionary<string, JsonNode>(Parameters) { [name] = JsonNode.Parse(value.ToJsonString())! } };
    }

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
