using Reproduce.Core.Methods;

namespace Reproduce.Learning.Methods;

/// <summary>SparK (METHODS.md §1). Defaults are the reference's ResNet settings (B = 4096, 1600 epochs).</summary>
public static class SparK
{
    public static readonly MethodDescriptor Descriptor = new("spark", "SparK",
    [
        .. CommonParameters.Training(batchSize: 4096, epochs: 1600, learningRate: 2e-4 * 4096 / 256, weightDecay: 0.04, warmupEpochs: 40),
        ParameterSpec.Real("weight_decay_end", 0.2, "weight decay at the end of its increasing cosine"),
        ParameterSpec.Real("final_lr_ratio", 0.001, "the cosine ends at this fraction of the peak learning rate", max: 1),
        ParameterSpec.Real("mask_ratio", 0.6, "share of /32 patches masked", max: 0.95),
        ParameterSpec.Reals("betas", [0.9, 0.95], "LAMB betas", max: 1),
        ParameterSpec.Real("grad_clip", 5.0, "global gradient-norm clip inside LAMB (0: none)"),
        ParameterSpec.Real("drop_path", 0.05, "stochastic depth of the encoder (linear per block)", max: 1),
        ParameterSpec.Int("decoder_width", 768, "width of the light UNet decoder", min: 8),
        ParameterSpec.Real("min_scale", 0.67, "RandomResizedCrop minimum scale", max: 1),
    ]);
}
