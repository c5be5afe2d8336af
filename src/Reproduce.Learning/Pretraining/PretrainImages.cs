using Reproduce.Data.Store;
using static TorchSharp.torch;

namespace Reproduce.Learning.Pretraining;

/// <summary>
/// The pre-training set: a tensor store's images, handed out as the stored gray bytes (1, H, W) uint8. The view
/// batcher scales each to [0, 1] (ToTensor) just before its views, so a core reads an image once at 1 byte per pixel
/// and then again from its own cache, not a whole batch of float32 images from memory.
/// </summary>
public sealed class PretrainImages(TensorStore store) : IDisposable
{
    public int Count => store.Count;

    /// <summary>
    /// The images at <paramref name="positions"/> in the rows of <paramref name="buffer"/>'s (B, 1, H, W) uint8 tensor;
    /// returns one (1, H, W) view per image, which the caller disposes before the buffer's next use. Thread-safe for
    /// distinct buffers (the store is read-only and reads with pread). A buffer kept from step to step spares each step B
    /// fresh images of memory, each a new mapping the kernel would fault in and zero.
    /// </summary>
    public Tensor[] Bytes(IReadOnlyList<int> positions, GrayBuffer buffer)
    {
        var bytes = buffer.For(positions.Count, store.Height, store.Width);
        var rows = new Tensor[positions.Count];
        for (var i = 0; i < positions.Count; i++)
        {
            // Straight from the file into the tensor: no managed copy of the image.
            rows[i] = bytes[i];
            store.CopyImage(positions[i], rows[i].bytes);
        }

        return rows;
    }

    public void Dispose() => store.Dispose();
}

/// <summary>The reused tensor of <see cref="PretrainImages.Bytes"/>: one per thread that reads batches.</summary>
public sealed class GrayBuffer : IDisposable
{
    private Tensor? bytes;

    public void Dispose() => bytes?.Dispose();

    internal Tensor For(int count, int height, int width)
    {
        if (bytes is null || bytes.shape[0] != count)
        {
            Dispose();
            // Outside any dispose scope: the buffer lives as long as its owner.
            using var scope = NewDisposeScope();
            bytes = empty([count, 1, height, width], dtype: ScalarType.Byte).DetachFromDisposeScope();
        }

        return bytes;
    }
}
