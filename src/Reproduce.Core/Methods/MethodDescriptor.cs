namespace Reproduce.Core.Methods;

/// <summary>What the manifest needs to know of a pre-training method: its id and its hyper-parameters.</summary>
public sealed record MethodDescriptor(string Id, string DisplayName, IReadOnlyList<ParameterSpec> Parameters)
{
    public ParameterSpec? Find(string name) => Parameters.FirstOrDefault(p => p.Name == name);
}
