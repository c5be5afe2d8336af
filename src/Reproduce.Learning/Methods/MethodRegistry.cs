using Reproduce.Core.Manifests;
using Reproduce.Core.Methods;
using Reproduce.Learning.Models;

namespace Reproduce.Learning.Methods;

/// <summary>The pre-training methods, one line each: adding a method is its file and a line here.</summary>
public static class MethodRegistry
{
    private static readonly (MethodDescriptor Descriptor, Func<MethodSpec, ResNetOptions, int, IPretrainingModel> Create)[] Methods =
    [
        (Byol.Descriptor, (spec, trunk, _) => new Byol(spec, trunk)),
        (MoCoV2.Descriptor, (spec, trunk, _) => new MoCoV2(spec, trunk)),
        (SwAV.Descriptor, (spec, trunk, imageSize) => new SwAV(spec, trunk, imageSize)),
        (SparK.Descriptor, (spec, trunk, imageSize) => new SparK(spec, trunk, imageSize)),
    ];

    public static MethodCatalog Catalog { get; } = new(Methods.Select(m => m.Descriptor));

    /// <summary>The model of method <c>spec.Id</c> on a trunk of <paramref name="trunk"/>'s shape, for views of <paramref name="imageSize"/> px.</summary>
    public static IPretrainingModel Create(MethodSpec spec, ResNetOptions trunk, int imageSize) =>
        Methods.Single(m => m.Descriptor.Id == spec.Id).Create(spec, trunk, imageSize);
}
