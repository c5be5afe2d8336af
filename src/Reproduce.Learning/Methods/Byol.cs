using Reproduce.Core.Methods;

namespace Reproduce.Learning.Methods;

/// <summary>BYOL (METHODS.md §2). Defaults are the reference's (DeepMind, 1000 epochs, B = 4096).</summary>
public static class Byol
{
    public static readonly MethodDescriptor Descriptor = new("byol", "BYOL",
    [
        .. CommonParameters.Training(batchSize: 4096, epochs: 1000, learningRate: 0.2 * 4096 / 256, weightDecay: 1.5e-6, warmupEpochs: 10),
        ParameterSpec.Choice("optimizer", "lars", "LARS (reference, η 1e-3, bias/BN excluded) or Adam (the study)", "lars", "adam"),
        ParameterSpec.Real("momentum", 0.9, "LARS momentum"),
        ParameterSpec.Real("tau_base", 0.996, "target EMA rate at step 0; rises to 1 on a cosine", max: 1),
        ParameterSpec.Int("projector_hidden", 4096, "projector hidden width", min: 1),
        ParameterSpec.Int("projection_dim", 256, "projection (and prediction) width", min: 1),
        ParameterSpec.Int("predictor_hidden", 4096, "predictor hidden width", min: 1),
        ParameterSpec.Int("schedule_epochs", 0, "the authors' quirk: cosine schedule length fixed at this many epochs (0: the run's length)"),
    ]);
}
