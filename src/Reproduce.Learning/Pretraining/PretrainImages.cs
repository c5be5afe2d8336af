using Reproduce.Data.Store;
using static TorchSharp.torch;

namespace Reproduce.Learning.Pretraining;

/// <summary>The pre-training set: a tensor store's images, each handed out as a gray (1, H, W) float32 tensor in [0, 1] (ToTensor's scaling).</summary>
public sealed class PretrainImages(TensorStore store) : IDisposable
{
    public int Count => store.Count;

    /// <summary>The image at <paramref name="position"/>; thread-safe (the store is memory-mapped and read-only).</summary>
    public Tensor Gray(int position)
    {
        // Straight from the mapping into the tensor: no managed copy of the image.
        using var bytes = empty([1, store.Height, store.Width], dtype: ScalarType.Byte);
        store.CopyImage(position, bytes.bytes);
        return bytes.to_type(ScalarType.Float32).div_(255);
    }

    public void Dispose() => store.Dispose();
}
