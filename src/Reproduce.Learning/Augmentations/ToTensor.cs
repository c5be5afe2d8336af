using static TorchSharp.torch;

namespace Reproduce.Learning.Augmentations;

/// <summary>torchvision's ToTensor scaling: stored 8-bit gray values to float32 in [0, 1], by true division by 255.</summary>
public static class ToTensor
{
    /// <summary>A new float32 tensor of <paramref name="bytes"/> (uint8, any shape) divided by 255, on their device.</summary>
    public static Tensor FromBytes(Tensor bytes) => bytes.to_type(ScalarType.Float32).div_(255);
}
