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

    /// <summary>
    /// The images at <paramref name="positions"/>, as <see cref="Gray(int)"/> gives them, in the rows of
    /// <paramref name="buffer"/>'s (B, 1, H, W) float32 tensor; returns one (1, H, W) view per image, which the caller
    /// disposes before the buffer's next use. A buffer kept from step to step spares a step 2 × B fresh images of memory
    /// (each a new mapping that the kernel faults in and zeroes: a third of the cost of a SparK view).
    /// </summary>
    public Tensor[] Gray(IReadOnlyList<int> positions, GrayBuffer buffer)
    {
        var (bytes, floats) = buffer.For(positions.Count, store.Height, store.Width);
        for (var i = 0; i < positions.Count; i++)
        {
            using var row = bytes[i];
            store.CopyImage(positions[i], row.bytes);
        }

        // uint8 → float32 is exact, then the same division as Gray(int).
        floats.copy_(bytes).div_(255);
        return [.. Enumerable.Range(0, positions.Count).Select(i => floats[i])];
    }

    public void Dispose() => store.Dispose();
}

/// <summary>The reused tensors of <see cref="PretrainImages.Gray(IReadOnlyList{int}, GrayBuffer)"/>: one per thread that reads batches.</summary>
public sealed class GrayBuffer : IDisposable
{
    private Tensor? bytes;
    private Tensor? floats;

    public void Dispose()
    {
        bytes?.Dispose();
        floats?.Dispose();
    }

    internal (Tensor Bytes, Tensor Floats) For(int count, int height, int width)
    {
        if (bytes is null || bytes.shape[0] != count)
        {
            Dispose();
            // Outside any dispose scope: the buffer lives as long as its owner.
            using var scope = NewDisposeScope();
            bytes = empty([count, 1, height, width], dtype: ScalarType.Byte).DetachFromDisposeScope();
            floats = empty([count, 1, height, width], dtype: ScalarType.Float32).DetachFromDisposeScope();
        }

        return (bytes, floats!);
    }
}
