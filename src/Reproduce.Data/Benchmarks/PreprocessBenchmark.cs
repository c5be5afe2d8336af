using Reproduce.Core.Benchmarks;
using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;
using Reproduce.Data.Datasets;
using Reproduce.Data.Datasets.Synthetic;
using Reproduce.Data.Preprocessing;

namespace Reproduce.Data.Benchmarks;

/// <summary>
/// Preprocessing speed on one core (DESIGN.md §7 "Benchmarks"): decode → HU → the authors' min–max → area resize →
/// uint8 into a tensor store, over an LIDC-style tree of 512² slices. The process pins itself to one CPU first, so the
/// pydicom + numpy reference (bench/preprocess_pydicom.py), run under <c>taskset -c 0</c>, is compared on equal terms.
/// One untimed pass warms the JIT and the page cache; the second is timed.
/// </summary>
public static class PreprocessBenchmark
{
    /// <summary>Slices per generated series, as in a short LIDC scan.</summary>
    private const int SlicesPerSeries = 64;

    /// <summary>Writes a synthetic LIDC tree of at least <paramref name="slices"/> 512² slices into <paramref name="root"/>; returns how many.</summary>
    public static int GenerateTree(string root, int slices)
    {
        var count = Math.Max(1, slices);
        var (series, perSeries) = ((count + SlicesPerSeries - 1) / SlicesPerSeries, Math.Min(count, SlicesPerSeries));
        SyntheticDatasets.Write(Identifiers.Lidc, new SyntheticSpec { Size = 512, Series = series, SlicesPerSeries = perSeries }, 1, root, SilentProgress.Instance);
        return series * perSeries;
    }

    /// <summary>Times preprocessing the LIDC tree at <paramref name="tree"/> into a temporary store of <paramref name="size"/>² images, deleted afterwards.</summary>
    public static PreprocessTiming Run(string tree, int size, TimeProvider clock)
    {
        var recipe = ImageRecipe.Create(new PreprocessSpec { Recipe = "authors", Size = size });
        var store = Path.Combine(Path.GetTempPath(), $"reproduce-bench-store-{Environment.ProcessId}");
        int Once() => new StoreBuilder(recipe, threads: 1, SilentProgress.Instance)
            .Build(new LidcTree(tree), Identifiers.Lidc, [], store, CancellationToken.None).Description.Count;

        var pinned = CpuAffinity.PinToOneCpu();
        try
        {
            Once();
            using var peak = new PeakMemory();
            var started = clock.GetTimestamp();
            var count = Once();
            var elapsed = clock.GetElapsedTime(started);
            return new PreprocessTiming(count, elapsed, peak.Stop(), pinned);
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }
}

/// <summary>What <see cref="PreprocessBenchmark"/> measured; <see cref="Pinned"/> is false where the platform cannot pin to one CPU.</summary>
public sealed record PreprocessTiming(int Slices, TimeSpan Elapsed, long PeakBytes, bool Pinned)
{
    public double SlicesPerSecond => Slices / Elapsed.TotalSeconds;
}
