using Reproduce.Core.Benchmarks;
using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;
using Reproduce.Learning.Augmentations;
using Reproduce.Learning.Methods;
using Reproduce.Learning.Models;
using Reproduce.Learning.Pretraining;
using Reproduce.Learning.Runtime;
using TorchSharp;

namespace Reproduce.Learning.Benchmarks;

/// <summary>
/// Pre-training speed on the CPU (DESIGN.md §7 "Benchmarks"): the training step only — forward, backward, optimizer
/// step, EMA/queue/prototype updates — on random batches made once, augmentation excluded, with the method's reference
/// hyper-parameters (MoCo's queue 65536, SwAV's 3000 prototypes and small crops of round(size·96/224) px). Images/s
/// counts the B distinct images of a step; bench/pretrain_torch.py times the same step in PyTorch.
/// </summary>
public static class PretrainBenchmark
{
    /// <summary>A long nominal run, so every schedule is past its warm-up; the rates do not change a step's cost.</summary>
    private const long NominalSteps = 1_000_000;

    private const int NominalStepsPerEpoch = 1000;

    /// <param name="reproduce">how to start this build again, for <see cref="ConvolutionCrashGuard"/>'s probe (null: none)</param>
    public static PretrainTiming Run(PretrainBenchmarkSettings requested, TimeProvider clock, ChildCommand? reproduce)
    {
        // At least one timed step and one thread; no negative warm-up.
        var settings = requested with { Threads = Math.Max(1, requested.Threads), Steps = Math.Max(1, requested.Steps), Warmup = Math.Max(0, requested.Warmup) };
        var descriptor = MethodRegistry.Catalog.Find(settings.Method)
            ?? throw new UsageException($"unknown method '{settings.Method}' ({string.Join(", ", MethodRegistry.Catalog.Ids)})");
        var spec = MethodSpec.Defaults(descriptor).With("batch_size", settings.Batch);
        ComputeDevice.Prepare("cpu", settings.Threads);
        using var random = new CellRandom(seed: 0);
        using var model = MethodRegistry.Create(spec, new ResNetOptions(settings.Architecture, ChannelsLast: settings.ChannelsLast), settings.Size, random);
        using var recipe = model.CreateRecipe(stepsPerEpoch: NominalStepsPerEpoch, totalSteps: NominalSteps);
        var pipelines = MethodViews.Create(spec, settings.Size, PretrainStage.InputChannels);
        var workload = new TrunkWorkload(settings.Architecture, [.. pipelines.Select(v => v.OutputSize).Distinct()], settings.Batch, settings.ChannelsLast);
        if (!settings.OneDnn)
        {
            ConvolutionCrashGuard.UseOneDnn(false);
        }

        var fallback = ConvolutionCrashGuard.Guard(torch.CPU, workload, settings.Threads, reproduce);
        var views = pipelines
            .Select(v => torch.rand([settings.Batch, v.OutputChannels, v.OutputSize, v.OutputSize], generator: random.Init).DetachFromDisposeScope())
            .ToArray();
        try
        {
            model.State.train();
            void Step(long step) => PretrainingStep.Run(model, recipe, views, new TrainingProgress(step, NominalSteps, NominalStepsPerEpoch));

            for (var step = 0; step < settings.Warmup; step++)
            {
                Step(step);
            }

            using var peak = new PeakMemory();
            var started = clock.GetTimestamp();
            for (var step = 0; step < settings.Steps; step++)
            {
                Step(settings.Warmup + step);
            }

            var elapsed = clock.GetElapsedTime(started);
            return new PretrainTiming(settings, (long)settings.Steps * settings.Batch, elapsed, peak.Stop(), fallback);
        }
        finally
        {
            foreach (var view in views)
            {
                view.Dispose();
            }
        }
    }
}

/// <summary>
/// One pre-training benchmark: a method on a ResNet of <see cref="Architecture"/>, <see cref="Batch"/> images of
/// <see cref="Size"/>² per step; <see cref="OneDnn"/> false times ATen's own convolutions, the fallback of
/// <see cref="ConvolutionCrashGuard"/>; <see cref="ChannelsLast"/> times NHWC activations (<c>pretrain.memory_format</c>).
/// </summary>
public sealed record PretrainBenchmarkSettings(string Method, string Architecture, int Size, int Batch, int Threads, int Steps, int Warmup, bool OneDnn = true, bool ChannelsLast = false);

/// <summary>
/// What <see cref="PretrainBenchmark"/> measured over its timed steps, with the settings it ran (counts bounded below)
/// and, when <see cref="ConvolutionCrashGuard"/> turned oneDNN off, why.
/// </summary>
public sealed record PretrainTiming(PretrainBenchmarkSettings Settings, long Images, TimeSpan Elapsed, long PeakBytes, string? ConvolutionFallback)
{
    public double ImagesPerSecond => Images / Elapsed.TotalSeconds;
}
