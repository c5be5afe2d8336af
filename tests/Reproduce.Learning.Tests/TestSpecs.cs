using System.Text.Json.Nodes;
using Reproduce.Core.Manifests;
using Reproduce.Core.Methods;

namespace Reproduce.Learning.Tests;

/// <summary>Method hyper-parameters as the manifest binder resolves them, for tests.</summary>
internal static class TestSpecs
{
    /// <summary>The descriptor's defaults with <paramref name="overrides"/> applied (<see cref="MethodSpec.With"/>).</summary>
    public static MethodSpec Spec(MethodDescriptor descriptor, params (string Name, JsonNode Value)[] overrides)
    {
        var spec = MethodSpec.Defaults(descriptor);
        foreach (var (name, value) in overrides)
        {
            Assert.True(spec.Parameters.ContainsKey(name), $"{descriptor.Id} has no parameter '{name}'");
            spec = spec.With(name, value);
        }

        return spec;
    }
}
