using Reproduce.Learning.Models;
using Reproduce.Learning.Pretraining;
using Reproduce.Learning.Runtime;
using static TorchSharp.torch;

namespace Reproduce.Learning.Finetuning;

/// <summary>
/// What a fine-tuning cell holds at its peak, a training step, part by part: the weights, their gradients, the
/// optimizer's moments, the best epoch's snapshot (weights and BN buffers), every image of the cell as uint8, and the
/// activations one training batch keeps for its backward pass. All but the activations follow from the settings;
/// the activations are measured, as the native heap a forward pass of one batch leaves in use.
/// </summary>
public sealed record FinetuneMemory(long Weights, long Gradients, long OptimizerState, long Snapshot, long Data, long Activations)
{
    public long Total => Weights + Gradients + OptimizerState + Snapshot + Data + Activations;

    /// <summary>The parts for <paramref name="settings"/> with <paramref name="images"/> stored images of <paramref name="imageSide"/>² pixels.</summary>
    public static FinetuneMemory Of(FinetuneSettings settings, long images, int imageSide)
    {
        using var scope = NewDisposeScope();
        // The values drawn do not matter here, only the sizes: any seed will do.
        using var random = new CellRandom(seed: 0);
        using var model = new Classifier(new ResNetOptions(settings.Arch, PretrainStage.InputChannels), settings.Task.Classes, random);
        var weights = model.parameters().Sum(p => p.numel() * p.element_size());
        var state = model.state_dict().Values.Sum(t => t.numel() * t.element_size());
        var moments = settings.Training.Optimizer switch
        {
            "adam" or "adamw" => 2,
            "sgd" => 1,
            _ => throw new ArgumentException($"unknown fine-tuning optimizer '{settings.Training.Optimizer}'"),
        };

        model.train();
        var side = settings.Training.InputSize;
        var batch = rand([settings.Training.BatchSize, PretrainStage.InputChannels, side, side], generator: random.Init);
        // Tensors of earlier work that wait for the finalizer would free native memory during the forward and hide the
        // activations in the delta (a CI run measured none): they are freed first.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = NativeHeap.BytesInUse() ?? 0;
        var output = model.forward(batch);
        var activations = (NativeHeap.BytesInUse() ?? 0) - before;
        output.Dispose();
        return new FinetuneMemory(weights, weights, moments * weights, state, images * imageSide * imageSide, Math.Max(0, activations));
    }
}
