using Reproduce.Core.Methods;

namespace Reproduce.Learning.Methods;

/// <summary>Hyper-parameters every pre-training method has, with the reference's defaults passed in.</summary>
internal static class CommonParameters
{
    public static IEnumerable<ParameterSpec> Training(long batchSize, long epochs, double learningRate, double weightDecay, double warmupEpochs) =>
    [
        ParameterSpec.Int("batch_size", batchSize, "images per step (the reference's global batch)", min: 2),
        ParameterSpec.Int("epochs", epochs, "passes over the pre-training set", min: 1),
        ParameterSpec.Int("max_steps", 0, "stop after this many steps (0: the epochs decide)"),
        ParameterSpec.Real("learning_rate", learningRate, "peak learning rate (absolute, already scaled for batch_size)"),
        ParameterSpec.Real("weight_decay", weightDecay, "weight decay"),
        ParameterSpec.Real("warmup_epochs", warmupEpochs, "linear learning-rate warm-up length"),
        ParameterSpec.Choice("augmentation", "reference", "the reference method's views, or the CT pipeline of the study (PROTOCOL.md §5)", "reference", "ct"),
    ];
}
