using System.Globalization;
using System.Text.Json.Nodes;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Data.Store;
using Reproduce.Learning.Augmentations;
using Reproduce.Learning.Checkpoints;
using Reproduce.Learning.Methods;
using Reproduce.Learning.Models;
using Reproduce.Learning.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Pretraining;

/// <summary>
/// The pretrain stage: one cell per method. Trains the method on the pre-training dataset's tensor
/// store and publishes the trunk as <c>encoder.safetensors</c> (torchvision parameter names, no fc,
/// loadable non-strictly into a torchvision ResNet) with <c>loss.csv</c>, and logs every step for TensorBoard
/// (<see cref="TensorBoardLog"/>, in <c>tensorboard/</c>). Both the encoder and the resumable checkpoints carry the
/// cell's specification in their header (<see cref="CellCheckpointMetadata"/>). Resumable: checkpoints go
/// into the cell's work directory (every <see cref="RunSettings.CheckpointEvery"/> steps), and an interrupted cell
/// continues from its last one. The method and its hyper-parameters come from the cell's parameters.
/// </summary>
public sealed class PretrainStage : IStage
{
    public const string EncoderFile = "encoder.safetensors";

    /// <summary>The network input replicates gray to 3 channels, as the authors (DESIGN.md §7 "Images").</summary>
    public const int InputChannels = 3;

    // 3: the encoder's header carries the cell's specification (CellCheckpointMetadata), and the cell logs for TensorBoard.
    // 4: a bicubic resized crop (BYOL's and SparK's views) clips its width pass before its height pass, as PIL does.
    public StageDescriptor Descriptor { get; } = new(StageNames.Pretrain, Version: 4, UsesTorch: true, Resumable: true);

    public Task<StageResult> RunAsync(CellContext context, CancellationToken cancellationToken)
    {
        var spec = MethodOf(context.Parameters);
        var imageSize = context.Parameters[PretrainParameterNames.ImageSize]!.GetValue<int>();
        var channelsLast = context.Parameters[PretrainParameterNames.MemoryFormat]?.GetValue<string>() == Identifiers.ChannelsLast;
        var trunk = new ResNetOptions(context.Parameters[PretrainParameterNames.Arch]!.GetValue<string>(), InputChannels, ChannelsLast: channelsLast);
        var device = ComputeDevice.Prepare(context.Settings.Device, context.Settings.Threads);
        using var random = new CellRandom(context.Seed("torch"));

        using var images = new PretrainImages(TensorStore.Open(context.UpstreamOf(StageNames.Preprocess).Directory));
        var plan = new EpochPlan(images.Count, (int)spec.Integer("batch_size"), spec.Integer("epochs"), spec.Integer("max_steps"), context.Seed("batches"));
        using var model = MethodRegistry.Create(spec, trunk, imageSize, random);
        // Before the optimizer exists: moving a module replaces its parameters (METHODS.md §7.3).
        model.State.to(device);
        using var recipe = model.CreateRecipe(plan.StepsPerEpoch, plan.TotalSteps);
        var onDevice = context.Parameters[PretrainParameterNames.ViewsOnDevice]?.GetValue<bool>() ?? false;
        var views = new ViewBatcher(MethodViews.Create(spec, imageSize, InputChannels), degreeOfParallelism: 1, batchedOn: onDevice ? device : null);
        var workload = new TrunkWorkload(trunk.Arch, [.. views.Views.Select(v => v.OutputSize).Distinct()], plan.BatchSize, trunk.ChannelsLast);
        if (ConvolutionCrashGuard.Guard(device, workload, context.Settings.Threads, context.Settings.Reproduce) is { } note)
        {
            context.Progress.Message(note);
        }

        // On a GPU the cell's CPU threads are free to prepare views; on the CPU they train, and one worker prepares.
        var viewWorkers = device.type == DeviceType.CPU ? 1 : Math.Max(1, context.Settings.Threads);
        var run = new PretrainingRun(model, recipe, images, plan, views, context.Seed("views"), device, random, viewWorkers);
        var cellMetadata = CellCheckpointMetadata.Of(context.Spec).ToEntries();
        var log = new TensorBoardLog(context.WorkDirectory, context.Clock);
        var outcome = run.Run(context.WorkDirectory, context.Settings.CheckpointEvery, cellMetadata, log, context.Progress, cancellationToken);

        SafeTensors.Write(Path.Combine(context.WorkDirectory, EncoderFile), model.Encoder.state_dict(), new Dictionary<string, string>(cellMetadata)
        {
            ["format"] = "pt",
            ["arch"] = trunk.Arch,
            ["in_channels"] = InputChannels.ToString(CultureInfo.InvariantCulture),
            ["method"] = spec.Id,
            ["steps"] = plan.TotalSteps.ToString(CultureInfo.InvariantCulture),
        });

        var last = outcome.Curve[^1];
        var tail = outcome.Curve.Skip(Math.Max(0, outcome.Curve.Count - (int)Math.Max(1, plan.StepsPerEpoch))).Average(r => r.Loss);
        return Task.FromResult(new StageResult(
            new JsonObject
            {
                ["final_loss"] = last.Loss,
                ["last_epoch_loss"] = tail,
                ["first_loss"] = outcome.Curve[0].Loss,
                ["images_per_second"] = double.IsFinite(outcome.ImagesPerSecond) ? outcome.ImagesPerSecond : null,
            },
            new JsonObject
            {
                ["steps"] = plan.TotalSteps,
                ["steps_per_epoch"] = plan.StepsPerEpoch,
                ["images"] = images.Count,
                ["batch_size"] = plan.BatchSize,
                ["device"] = context.Settings.Device,
                ["threads"] = get_num_threads(),
                ["resumed_from_step"] = outcome.ResumedFrom,
            }));
    }

    /// <summary>The method and its resolved hyper-parameters as <see cref="ExperimentGraph"/> wrote them into a pretrain cell.</summary>
    public static MethodSpec MethodOf(JsonObject parameters) => new(
        parameters[PretrainParameterNames.Method]!.GetValue<string>(),
        parameters[PretrainParameterNames.Hyper]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.DeepClone()));
}
