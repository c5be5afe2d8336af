using Reproduce.Core.Execution;
using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;

namespace Reproduce.Learning.Benchmarks;

/// <summary>
/// <see cref="PretrainBenchmark"/> beside PyTorch (<see cref="SideBySide"/>): this build's <c>reproduce bench
/// pretrain</c> and the repository's reference script (<c>bench/pretrain_torch.py</c>) time the same step.
/// </summary>
public static class PretrainSideBySide
{
    /// <summary>What both sides print their rate in.</summary>
    public const string Unit = "images/s";

    /// <summary>PyTorch as Debian ships it: glibc's malloc, the contiguous (NCHW) layout.</summary>
    public const string PlainPyTorch = "pytorch";

    /// <summary>
    /// PyTorch as a performance engineer runs it on a CPU: jemalloc preloaded with the settings of Intel's PyTorch tuning
    /// guide (freed pages kept, no oversize arena) and channels-last tensors and weights, at the same thread count.
    /// </summary>
    public const string TunedPyTorch = "pytorch tuned";

    /// <summary>The three contenders for <paramref name="settings"/>: this build, plain and tuned PyTorch.</summary>
    public static IReadOnlyList<Contender> Contenders(PretrainBenchmarkSettings settings, ChildCommand reproduce, string python, string script, string jemalloc)
    {
        string[] common =
        [
            "--method", settings.Method, "--arch", settings.Architecture, "--size", SideBySide.Argument(settings.Size), "--batch", SideBySide.Argument(settings.Batch),
            "--threads", SideBySide.Argument(settings.Threads), "--steps", SideBySide.Argument(settings.Steps), "--warmup", SideBySide.Argument(settings.Warmup),
        ];
        var threads = new Dictionary<string, string> { ["OMP_NUM_THREADS"] = SideBySide.Argument(settings.Threads) };
        return
        [
            new(SideBySide.Ours, reproduce.FileName, [.. reproduce.Arguments, "bench", "pretrain", .. common, .. settings.ChannelsLast ? ["--memory-format", Identifiers.ChannelsLast] : Array.Empty<string>()], threads),
            new(PlainPyTorch, python, [script, .. common], threads),
            new(TunedPyTorch, python, [script, .. common, "--channels-last"], new Dictionary<string, string>(threads)
            {
                ["LD_PRELOAD"] = jemalloc,
                ["MALLOC_CONF"] = NativeAllocator.TunedSettings,
            }),
        ];
    }
}
