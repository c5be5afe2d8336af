using Reproduce.Core.Methods;

namespace Reproduce.Learning.Methods;

/// <summary>SwAV (METHODS.md §4). Defaults are the reference's 800-epoch multi-crop run (B = 4096).</summary>
public static class SwAV
{
    public static readonly MethodDescriptor Descriptor = new("swav", "SwAV",
    [
        .. CommonParameters.Training(batchSize: 4096, epochs: 800, learningRate: 4.8, weightDecay: 1e-6, warmupEpochs: 10),
        ParameterSpec.Real("start_warmup_lr", 0.3, "learning rate at the start of the warm-up"),
        ParameterSpec.Real("final_lr", 0.0048, "learning rate at the end of the cosine"),
        ParameterSpec.Real("momentum", 0.9, "SGD momentum (under LARC)"),
        ParameterSpec.Real("temperature", 0.1, "softmax temperature", min: 1e-4),
        ParameterSpec.Real("epsilon", 0.05, "Sinkhorn entropic regularisation", min: 1e-6),
        ParameterSpec.Int("sinkhorn_iterations", 3, "Sinkhorn-Knopp iterations", min: 1),
        ParameterSpec.Int("feature_dim", 128, "projection width", min: 1),
        ParameterSpec.Int("hidden_dim", 2048, "projection head hidden width", min: 1),
        ParameterSpec.Int("prototypes", 3000, "number of prototypes K", min: 2),
        ParameterSpec.Int("freeze_prototypes", 313, "prototypes get no update for this long"),
        ParameterSpec.Choice("freeze_prototypes_unit", "iterations", "the reference counts iterations; the authors' code epochs", "iterations", "epochs"),
        ParameterSpec.Int("queue_length", 0, "feature queue length (0: none)"),
        ParameterSpec.Int("epoch_queue_starts", 15, "epoch from which the queue is used"),
        ParameterSpec.Ints("crops", [2, 6], "number of crops per resolution (global, small)", min: 1),
        ParameterSpec.Reals("min_scale", [0.14, 0.05], "RandomResizedCrop minimum scale per resolution", max: 1),
        ParameterSpec.Reals("max_scale", [1.0, 0.14], "RandomResizedCrop maximum scale per resolution", max: 1),
    ]);
}
