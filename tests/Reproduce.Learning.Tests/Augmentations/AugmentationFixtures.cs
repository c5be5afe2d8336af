using System.Text.Json.Nodes;
using Reproduce.Core.Manifests;
using Reproduce.Learning.Methods;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Augmentations;

/// <summary>Images and method specs shared by the augmentation tests.</summary>
internal static class AugmentationFixtures
{
    /// <summary>A gray (1, H, W) image with structure in both directions and values spread over [0, 1].</summary>
    public static Tensor Phantom(int height, int width)
    {
        var rows = arange(height, dtype: ScalarType.Float32).reshape(height, 1);
        var columns = arange(width, dtype: ScalarType.Float32).reshape(1, width);
        return rows.mul(7).add(columns.mul(3)).remainder(17).div(16).unsqueeze(0);
    }

    /// <summary><see cref="Phantom"/> as a store holds it: uint8, its values spread over 0–240.</summary>
    public static Tensor StoredPhantom(int height, int width) => Phantom(height, width).mul(240).round().to_type(ScalarType.Byte);

    /// <summary>A (1, H, W) image holding <paramref name="values"/> row by row.</summary>
    public static Tensor Image(int height, int width, params float[] values) => tensor(values).reshape(1, height, width);

    /// <summary>The method's reference defaults with the given augmentation choice.</summary>
    public static MethodSpec DefaultSpec(string methodId, string augmentation)
    {
        var descriptor = MethodRegistry.Catalog.Find(methodId) ?? throw new ArgumentException($"no method '{methodId}'");
        return TestSpecs.Spec(descriptor, ("augmentation", augmentation));
    }

    /// <summary>Same shape and the same float32 bit patterns (so −0 differs from 0, unlike <c>eq</c>).</summary>
    public static bool BitIdentical(Tensor expected, Tensor actual) =>
        expected.shape.SequenceEqual(actual.shape) && Bits(expected).SequenceEqual(Bits(actual));

    private static int[] Bits(Tensor image) => [.. image.contiguous().data<float>().ToArray().Select(BitConverter.SingleToInt32Bits)];
}
