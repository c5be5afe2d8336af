using Reproduce.Core.Manifests;
using Reproduce.Core.Methods;
using Reproduce.Learning.Models;
using Reproduce.Learning.Runtime;

namespace Reproduce.Learning.Methods;

/// <summary>The pre-training methods, one line each: adding a method is its file and a line here.</summary>
public static class MethodRegistry
{
    private static readonly (MethodDescriptor Descriptor, Func<MethodSpec, ResNetOptions, int, CellRandom, IPretrainingModel> Create)[] Methods =
    [
        (Byol.Descriptor, (spec, trunk, _, random) => new Byol(spec, trunk, random)),
        (MoCoV2.Descriptor, (spec, trunk, _, random) => new MoCoV2(spec, trunk, random)),
        (SwAV.Descriptor, (spec, trunk, imageSize, random) => new SwAV(spec, trunk, imageSize, random)),
        (SparK.Descriptor, (spec, trunk, imageSize, random) => new SparK(spec, trunk, imageSize, random)),
    ];

    public static MethodCatalog Catalog { get; } = new(Methods.Select(m => m.Descriptor));

    /// <summary>The model of method <c>spec.Id</c> on a trunk of <paramref name="trunk"/>'s shape, for views of <paramref name="imageSize"/> px, drawing from <paramref name="random"/>.</summary>
    public static IPretrainingModel Create(MethodSpec spec, ResNetOptions trunk, int imageSize, CellRandom random) =>
        Methods.Single(m => m.Descriptor.Id == spec.Id).Create(spec, trunk, imageSize, random);
}
