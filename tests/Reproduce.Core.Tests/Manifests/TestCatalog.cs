using Reproduce.Core.Methods;

namespace Reproduce.Core.Tests.Manifests;

/// <summary>
/// A small stand-in for the real method registry (which lives in Reproduce.Learning): the four
/// method ids of DESIGN.md §7, each with a few parameters, between them every parameter kind.
/// </summary>
public static class TestCatalog
{
    public static MethodDescriptor Byol { get; } = new("byol", "BYOL",
    [
        ParameterSpec.Int("epochs", 100, "passes", min: 1),
        ParameterSpec.Real("learning_rate", 0.2, "peak learning rate"),
        ParameterSpec.Choice("optimizer", "lars", "optimizer", "lars", "adam"),
        ParameterSpec.Flag("symmetric", true, "symmetrised loss"),
        ParameterSpec.Real("tau_base", 0.996, "EMA rate", max: 1),
    ]);

    public static MethodDescriptor MoCoV2 { get; } = new("mocov2", "MoCo v2",
    [
        ParameterSpec.Int("queue_size", 65536, "negatives", min: 1),
        ParameterSpec.Real("temperature", 0.2, "softmax temperature", min: 1e-4),
    ]);

    public static MethodDescriptor SwAV { get; } = new("swav", "SwAV",
    [
        ParameterSpec.Int("prototypes", 3000, "prototypes", min: 2),
        ParameterSpec.Ints("crops", [2, 6], "crops per resolution", min: 1),
    ]);

    public static MethodDescriptor SparK { get; } = new("spark", "SparK",
    [
        ParameterSpec.Int("epochs", 1600, "passes", min: 1),
        ParameterSpec.Real("mask_ratio", 0.6, "masked share", max: 0.95),
        ParameterSpec.Reals("betas", [0.9, 0.95], "LAMB betas", max: 1),
    ]);

    public static MethodCatalog Catalog { get; } = new([Byol, MoCoV2, SwAV, SparK]);
}
