using System.Text.Json.Nodes;
using Reproduce.Core.Manifests;
using Reproduce.Core.Methods;

namespace Reproduce.Learning.Tests;

/// <summary>Method hyper-parameters as the manifest binder resolves them, for tests.</summary>
internal static class TestSpecs
{
    /// <summary>
    /// The descriptor's defaults with <paramref name="overrides"/> applied. Each value goes through its
    /// JSON text, as a manifest's would, so an int literal reads as the long a parameter declares.
    /// </summary>
    public static MethodSpec Spec(MethodDescriptor descriptor, params (string Name, JsonNode Value)[] overrides)
    {
        var values = descriptor.Parameters.ToDictionary(p => p.Name, p => p.Default.DeepClone());
        foreach (var (name, value) in overrides)
        {
            Assert.True(values.ContainsKey(name), $"{descriptor.Id} has no parameter '{name}'");
            values[name] = JsonNode.Parse(value.ToJsonString())!;
        }

        return new MethodSpec(descriptor.Id, values);
    }
}
