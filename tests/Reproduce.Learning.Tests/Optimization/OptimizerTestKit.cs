using Reproduce.Learning.Optimization;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Reproduce.Learning.Tests.Optimization;

/// <summary>Deterministic tensors (own generators, never the global seed: xUnit runs classes in parallel) and checks.</summary>
internal static class OptimizerTestKit
{
    public static Tensor Random(long seed, params long[] shape)
    {
        using var generator = new Generator((ulong)seed);
        return randn(shape, generator: generator);
    }

    /// <summary>In double precision, where a step's size is compared with a formula (p − p' cancels in float32).</summary>
    public static Tensor RandomDouble(long seed, params long[] shape)
    {
        using var generator = new Generator((ulong)seed);
        return randn(shape, ScalarType.Float64, generator: generator);
    }

    public static Parameter ParameterFrom(Tensor values) => new(values.clone());

    /// <summary>Gives each parameter a seeded gradient (null where <paramref name="withoutGradient"/> says so).</summary>
    public static void SetGradients(IReadOnlyList<Parameter> parameters, long seed, Func<int, bool>? withoutGradient = null)
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            parameters[i].grad = withoutGradient?.Invoke(i) == true ? null : Random((seed * 100) + i, parameters[i].shape).to(parameters[i].dtype);
        }
    }

    public static Tensor Snapshot(Tensor tensor)
    {
        using var noGrad = no_grad();
        return tensor.detach().clone();
    }

    public static void AssertClose(Tensor expected, Tensor actual, double relative, double absolute = 1e-9)
    {
        Assert.Equal(expected.shape, actual.shape);
        if (!actual.allclose(expected, rtol: relative, atol: absolute))
        {
            Assert.Fail($"max |Δ| = {MaxDifference(expected, actual)} (expected {expected.str()}, got {actual.str()})");
        }
    }

    public static bool Same(Tensor expected, Tensor actual) =>
        expected.shape.SequenceEqual(actual.shape) && expected.dtype == actual.dtype && expected.eq(actual).all().item<bool>();

    public static void AssertBitwiseEqual(Tensor expected, Tensor actual)
    {
        if (!Same(expected, actual))
        {
            Assert.Fail($"Not bitwise equal: max |Δ| = {MaxDifference(expected, actual)}");
        }
    }

    private static double MaxDifference(Tensor expected, Tensor actual) =>
        (actual.to(ScalarType.Float64) - expected.to(ScalarType.Float64)).abs().max().item<double>();

    public static double Norm(Tensor tensor) => tensor.to(ScalarType.Float64).norm().item<double>();

    public static ParameterGroup Group(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0, bool excluded = false) =>
        new(parameters, learningRate, weightDecay, excluded);
}
