using Reproduce.Core.Methods;

namespace Reproduce.Learning.Methods;

/// <summary>The pre-training methods, one line each: adding a method is its file and a line here.</summary>
public static class MethodRegistry
{
    public static MethodCatalog Catalog { get; } = new([Byol.Descriptor, MoCoV2.Descriptor, SwAV.Descriptor, SparK.Descriptor]);
}
