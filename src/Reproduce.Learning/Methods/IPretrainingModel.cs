using Reproduce.Learning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Methods;

/// <summary>
/// One pre-training method's networks and loss, driven by the pre-training loop (one step):
/// <c>Loss</c> → backward → <c>AfterBackward</c> → optimizer step on <see cref="Trainable"/> →
/// <c>AfterStep</c>. Views come from the method's augmentation pipelines, in the order the method
/// consumes them. The model holds every tensor a checkpoint needs in <see cref="State"/> (parameters
/// and buffers: target networks, queues, pointers), so saving and loading that module's state dict
/// resumes it exactly.
/// </summary>
public interface IPretrainingModel : IDisposable
{
    /// <summary>The trunk that is published for fine-tuning (BYOL's online, MoCo's query, SwAV's and SparK's only trunk).</summary>
    ResNet Encoder { get; }

    /// <summary>What the optimizer updates: the trunk and the trained heads, named as in <see cref="State"/> (weight-decay rules go by these names).</summary>
    nn.Module Trainable { get; }

    /// <summary>Everything to checkpoint: trainable and non-trainable networks, queues and counters.</summary>
    nn.Module State { get; }

    /// <summary>The loss of one step on the batch's views (each (B, C, S, S)); runs in train mode inside the caller's dispose scope.</summary>
    Tensor Loss(IReadOnlyList<Tensor> views, TrainingProgress progress);

    /// <summary>After backward, before the optimizer step (SwAV drops the prototypes' gradients while they are frozen).</summary>
    void AfterBackward(TrainingProgress progress);

    /// <summary>After the optimizer step (BYOL's target EMA).</summary>
    void AfterStep(TrainingProgress progress);

    /// <summary>The method's optimizer over <see cref="Trainable"/> and its schedule, for a run of the given length.</summary>
    TrainingRecipe CreateRecipe(long stepsPerEpoch, long totalSteps);
}

/// <summary>Where a step is in the run: its 0-based index, the run's total steps and the steps per epoch (schedules count in either).</summary>
public readonly record struct TrainingProgress(long Step, long TotalSteps, long StepsPerEpoch)
{
    public double Epoch => (double)Step / StepsPerEpoch;
}
