using System.Text.Json.Nodes;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Data.Store;
using Reproduce.Learning.Checkpoints;
using Reproduce.Learning.Finetuning;
using Reproduce.Learning.Models;
using Reproduce.Learning.Pretraining;
using Reproduce.Learning.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Probing;

/// <summary>
/// The features stage: one cell per task × init. Builds the trunk from the init as fine-tuning does
/// (<see cref="TrunkInit"/>; for <c>scratch</c> a seeded random trunk, the probes' lower reference), and passes every
/// image of the task's store through it once, frozen and in eval mode, with fine-tuning's test-time input (the task's
/// normalisation, resized to the input size, no flip). The pooled features, (N, D) float32 in store order, go to
/// <c>features.safetensors</c>; every probe cell of the task and init reads them, whatever its fold and fraction.
/// </summary>
public sealed class FeaturesStage : IStage
{
    public const string FeaturesFile = "features.safetensors";

    public const string FeaturesTensor = "features";

    /// <summary>Images per forward pass: inference keeps no activations for a backward pass, so this only bounds memory.</summary>
    private const int BatchSize = 64;

    public StageDescriptor Descriptor { get; } = new(StageNames.Features, Version: 1, UsesTorch: true);

    public Task<StageResult> RunAsync(CellContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var task = ExperimentGraph.ReadRecord<TaskSpec>(parameters["task"]);
        var init = parameters["init"]!.GetValue<string>();
        var arch = parameters["arch"]!.GetValue<string>();
        var inputSize = parameters["input_size"]!.GetValue<int>();
        var file = parameters[ExperimentGraph.InitFileParameter] is JsonObject identity ? InitFileIdentity.FromJson(identity) : null;

        var device = ComputeDevice.Prepare(context.Settings.Device, context.Settings.Threads);
        using var store = TensorStore.Open(context.UpstreamOf(StageNames.Preprocess).Directory);
        if (ConvolutionCrashGuard.Guard(device, new TrunkWorkload(arch, [inputSize], BatchSize), context.Settings.Threads, context.Settings.Reproduce) is { } note)
        {
            context.Progress.Message(note);
        }

        using var random = new CellRandom(context.Seed("torch"));
        using var trunk = new ResNet(new ResNetOptions(arch, PretrainStage.InputChannels), random);
        TrunkInit.Load(context, trunk, init, file);
        trunk.to(device);
        trunk.eval();
        using var input = new FinetuneInput(task, inputSize);
        var batches = new List<Tensor>();
        var pixels = new byte[(long)BatchSize * store.ImageBytes];
        try
        {
            using (no_grad())
            {
                for (var start = 0; start < store.Count; start += BatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var count = Math.Min(BatchSize, store.Count - start);
                    for (var i = 0; i < count; i++)
                    {
                        store.CopyImage(start + i, pixels.AsSpan(i * store.ImageBytes, store.ImageBytes));
                    }

                    var batch = tensor(pixels.AsSpan(0, count * store.ImageBytes).ToArray(), [count, 1, store.Height, store.Width]);
                    batches.Add(trunk.forward(input.Prepare(batch, null, device)).cpu().MoveToOuterDisposeScope());
                    context.Progress.Report(start + count, store.Count, "images");
                }
            }

            using var features = cat(batches);
            SafeTensors.Write(Path.Combine(context.WorkDirectory, FeaturesFile), [KeyValuePair.Create(FeaturesTensor, features)], new Dictionary<string, string> { ["arch"] = arch, ["init"] = init });
            return Task.FromResult(new StageResult(
                new JsonObject { ["images"] = features.shape[0], ["dimensions"] = features.shape[1] },
                new JsonObject { ["device"] = context.Settings.Device }));
        }
        finally
        {
            foreach (var batch in batches)
            {
                batch.Dispose();
            }
        }
    }
}
