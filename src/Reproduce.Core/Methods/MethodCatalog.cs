namespace Reproduce.Core.Methods;

/// <summary>The pre-training methods a manifest may name, by id.</summary>
public sealed class MethodCatalog
{
    private readonly Dictionary<string, MethodDescriptor> byId;

    public MethodCatalog(IEnumerable<MethodDescriptor> methods)
    {
        byId = [];
        foreach (var method in methods)
        {
            if (!byId.TryAdd(method.Id, method))
            {
                throw new ArgumentException($"method '{method.Id}' is registered twice", nameof(methods));
            }
        }
    }

    public IReadOnlyCollection<string> Ids => byId.Keys;

    public MethodDescriptor? Find(string id) => byId.GetValueOrDefault(id);
}
