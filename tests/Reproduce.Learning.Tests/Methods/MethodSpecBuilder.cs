using System.Text.Json;
using System.Text.Json.Nodes;
using Reproduce.Core.Manifests;
using Reproduce.Core.Methods;

namespace Reproduce.Learning.Tests.Methods;

/// <summary>A method's resolved hyper-parameters as the manifest binder would give them: the descriptor's defaults with some overridden.</summary>
internal static class MethodSpecBuilder
{
    public static MethodSpec WithDefaults(MethodDescriptor descriptor, params (string Name, object Value)[] overrides)
    {
        var values = descriptor.Parameters.ToDictionary(p => p.Name, p => p.Default.DeepClone());
        foreach (var (name, value) in overrides)
        {
            if (!values.ContainsKey(name))
            {
                throw new ArgumentException($"{descriptor.Id} has no parameter '{name}'", nameof(overrides));
            }

            values[name] = JsonSerializer.SerializeToNode(value)!;
        }

        return new MethodSpec(descriptor.Id, values);
    }
}
