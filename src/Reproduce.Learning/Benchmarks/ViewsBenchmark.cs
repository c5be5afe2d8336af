using System.Text.Json.Nodes;
using Reproduce.Core.Benchmarks;
using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Data.Splits;
using Reproduce.Data.Store;
using Reproduce.Learning.Augmentations;
using Reproduce.Learning.Methods;
using Reproduce.Learning.Pretraining;
using static TorchSharp.torch;

namespace Reproduce.Learning.Benchmarks;

/// <summary>
/// The view pipeline's speed on the CPU (DESIGN.md §7 "Benchmarks"): a method's reference views (BYOL 2 × S, MoCo v2
/// 2 × S, SwAV 2 × S + 6 × round(S·96/224), SparK 1 × S) made by the pre-training loop's own <see cref="ViewPrefetcher"/>
/// from a tensor store, every image of every step read from the store, turned to float and augmented. <c>Threads</c>
/// prefetch workers run with libtorch held to one thread each, so views/s per core is views/s over <c>Threads</c>.
/// bench/views_torchvision.py times torchvision's recipe on the same images.
/// </summary>
public static class ViewsBenchmark
{
    /// <summary>The synthetic store's pixel at (y, x) of image i, which bench/views_torchvision.py recomputes with numpy.</summary>
    public static byte SyntheticPixel(int image, int y, int x) => (byte)(((7 * y) + (3 * x) + (11 * image) + ((y * x) >> 6)) & 255);

    /// <summary>Writes <paramref name="count"/> synthetic <paramref name="side"/>² images as a tensor store (what preprocessing leaves LIDC as).</summary>
    public static string WriteSyntheticStore(string directory, int count, int side)
    {
        using var writer = new TensorStoreWriter(directory, side, side);
        var image = new byte[side * side];
        for (var i = 0; i < count; i++)
        {
            for (var y = 0; y < side; y++)
            {
                for (var x = 0; x < side; x++)
                {
                    image[(y * side) + x] = SyntheticPixel(i, y, x);
                }
            }

            writer.Add($"synthetic{i}", StoreItem.Unlabelled, OfficialSplit.Train, $"synthetic{i}", image);
        }

        writer.Complete("lidc", [], new JsonObject());
        return directory;
    }

    public static ViewsTiming Run(ViewsBenchmarkSettings settings, string store, TimeProvider clock)
    {
        var descriptor = MethodRegistry.Catalog.Find(settings.Method)
            ?? throw new UsageException($"unknown method '{settings.Method}' ({string.Join(", ", MethodRegistry.Catalog.Ids)})");
        var spec = MethodSpec.Defaults(descriptor).With("augmentation", MethodViews.Reference);
        var pipelines = MethodViews.Create(spec, settings.Size, PretrainStage.InputChannels);
        // One libtorch thread everywhere: the workers are the parallelism, one core each.
        set_num_threads(1);
        using var images = new PretrainImages(TensorStore.Open(store));
        var batch = Math.Min(settings.Batch, images.Count);
        // One untimed step first, then every full batch of the store once.
        var plan = new EpochPlan(images.Count, batch, epochs: 1, maxSteps: 0, seed: 1);
        if (plan.TotalSteps < 2)
        {
            throw new UsageException($"--images {images.Count} with batches of {batch}: at least two batches are needed (one untimed)");
        }

        var views = new ViewBatcher(pipelines, degreeOfParallelism: 1, settings.OnDevice ? CPU : null);
        using var prefetcher = new ViewPrefetcher(images, plan, views, seed: 1, firstStep: 0, workers: settings.Threads);
        Release(prefetcher.Take(CancellationToken.None));
        using var peak = new PeakMemory();
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var started = clock.GetTimestamp();
        for (var step = 1; step < plan.TotalSteps; step++)
        {
            Release(prefetcher.Take(CancellationToken.None));
        }

        var elapsed = clock.GetElapsedTime(started);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var timedImages = (plan.TotalSteps - 1) * batch;
        return new ViewsTiming(settings, pipelines.Select(p => p.OutputSize).ToArray(), timedImages, elapsed, cpu, peak.Stop());
    }

    private static void Release(Tensor[] batch)
    {
        foreach (var view in batch)
        {
            view.Dispose();
        }
    }
}

/// <summary>One view benchmark: <see cref="Method"/>'s reference views at <see cref="Size"/>, <see cref="Threads"/> workers, batches of <see cref="Batch"/>.</summary>
public sealed record ViewsBenchmarkSettings(string Method, int Size, int Threads, int Batch, bool OnDevice);

/// <summary>What <see cref="ViewsBenchmark"/> measured: <see cref="Images"/> images, each into one view per entry of <see cref="ViewSizes"/>.</summary>
/// <see cref="CpuTime"/> is the process's processor time over the timed part: on a machine others share, views per
/// CPU-second is the steadier per-core figure.
public sealed record ViewsTiming(ViewsBenchmarkSettings Settings, IReadOnlyList<int> ViewSizes, long Images, TimeSpan Elapsed, TimeSpan CpuTime, long PeakBytes)
{
    public double ViewsPerCpuSecond => Images * ViewSizes.Count / CpuTime.TotalSeconds;

    public double ViewsPerSecond => Images * ViewSizes.Count / Elapsed.TotalSeconds;

    public double ViewsPerSecondPerCore => ViewsPerSecond / Settings.Threads;

    /// <summary>Worker cores that keep a consumer of <paramref name="imagesPerSecond"/> images/s fed (whole cores, rounded up).</summary>
    public int CoresToFeed(double imagesPerSecond) => (int)Math.Ceiling(imagesPerSecond * ViewSizes.Count / ViewsPerSecondPerCore);
}
