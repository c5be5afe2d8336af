using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Losses;

/// <summary>SparK's reconstruction loss: per-patch-normalised MSE on the masked patches only (METHODS.md §1.3 step 5).</summary>
public static class MaskedPatchLoss
{
    /// <summary>
    /// The mean squared error between the reconstruction's patches and the input's patches normalised per patch
    /// (mean, unbiased variance + 1e-6), averaged over the masked patches of the batch. <paramref name="input"/> and
    /// <paramref name="reconstruction"/> are (B, C, f·p, f·p); <paramref name="active"/> is the mask grid (B, 1, f, f),
    /// True = visible, so its False cells are the patches that count.
    /// </summary>
    public static Tensor Compute(Tensor input, Tensor reconstruction, Tensor active, long patchSize)
    {
        var targetBln = Patchify(input, patchSize);
        var mean = targetBln.mean([-1], keepdim: true);
        var deviation = (targetBln.var(-1, unbiased: true, keepdim: true) + 1e-6).sqrt();
        var errorBl = (Patchify(reconstruction, patchSize) - ((targetBln - mean) / deviation)).square().mean([-1]);
        var maskedBl = active.logical_not().view(active.shape[0], -1).to_type(errorBl.dtype);
        return (errorBl * maskedBl).sum() / (maskedBl.sum() + 1e-8);
    }

    /// <summary>(B, C, f·p, f·p) → (B, L = f², N = p²·C), patches in the mask grid's row-major order.</summary>
    private static Tensor Patchify(Tensor imageBchw, long p)
    {
        var (batch, channels) = (imageBchw.shape[0], imageBchw.shape[1]);
        var (rows, columns) = (imageBchw.shape[2] / p, imageBchw.shape[3] / p);
        return imageBchw.reshape(batch, channels, rows, p, columns, p) // (B, C, h, p, w, p)
            .permute(0, 2, 4, 3, 5, 1) // (B, h, w, p, p, C)
            .reshape(batch, rows * columns, p * p * channels);
    }
}
