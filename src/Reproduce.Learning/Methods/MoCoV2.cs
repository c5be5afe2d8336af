using Reproduce.Core.Methods;

namespace Reproduce.Learning.Methods;

/// <summary>MoCo v2 (METHODS.md §3). Defaults are the official <c>--mlp --moco-t 0.2 --aug-plus --cos</c> run.</summary>
public static class MoCoV2
{
    public static readonly MethodDescriptor Descriptor = new("mocov2", "MoCo v2",
    [
        .. CommonParameters.Training(batchSize: 256, epochs: 200, learningRate: 0.03, weightDecay: 1e-4, warmupEpochs: 0),
        ParameterSpec.Real("momentum", 0.9, "SGD momentum"),
        ParameterSpec.Real("temperature", 0.2, "InfoNCE temperature", min: 1e-4),
        ParameterSpec.Int("queue_size", 65536, "negative keys in the queue (a multiple of batch_size)", min: 1),
        ParameterSpec.Real("key_momentum", 0.999, "key-encoder EMA momentum", max: 1),
        ParameterSpec.Int("feature_dim", 128, "embedding width", min: 1),
        ParameterSpec.Choice("head", "mlp", "MLP head (v2) or the authors' single linear layer", "mlp", "linear"),
        ParameterSpec.Flag("shuffle_bn", true, "emulate multi-GPU shuffling BN on one device (split BN over key sub-batches)"),
    ]);
}
