using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MathNet.Numerics.Statistics;
using Reproduce.Core.Errors;
using Reproduce.Core.Execution;
using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;

namespace Reproduce.Learning.Benchmarks;

/// <summary>
/// <see cref="PretrainBenchmark"/> beside PyTorch in one invocation: this build's <c>reproduce bench pretrain</c> and
/// the repository's reference script (<c>bench/pretrain_torch.py</c>) time the same step, each in a fresh process,
/// taking turns over <c>repeats</c> rounds so that drift of the machine reaches every contender alike. Each process's
/// peak resident set is read the same way, from outside (<c>VmHWM</c>, sampled until it exits).
/// </summary>
public static partial class PretrainSideBySide
{
    /// <summary>The contender whose speed and memory the ratios put over PyTorch's.</summary>
    public const string Ours = "reproduce";

    /// <summary>PyTorch as Debian ships it: glibc's malloc, the contiguous (NCHW) layout.</summary>
    public const string PlainPyTorch = "pytorch";

    /// <summary>
    /// PyTorch as a performance engineer runs it on a CPU: jemalloc preloaded with the settings of Intel's PyTorch tuning
    /// guide (freed pages kept, no oversize arena) and channels-last tensors and weights, at the same thread count.
    /// </summary>
    public const string TunedPyTorch = "pytorch tuned";

    private static readonly TimeSpan SamplingInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>The three contenders for <paramref name="settings"/>: this build, plain and tuned PyTorch.</summary>
    public static IReadOnlyList<Contender> Contenders(PretrainBenchmarkSettings settings, ChildCommand reproduce, string python, string script, string jemalloc)
    {
        string[] common =
        [
            "--method", settings.Method, "--arch", settings.Architecture, "--size", Text(settings.Size), "--batch", Text(settings.Batch),
            "--threads", Text(settings.Threads), "--steps", Text(settings.Steps), "--warmup", Text(settings.Warmup),
        ];
        var threads = new Dictionary<string, string> { ["OMP_NUM_THREADS"] = Text(settings.Threads) };
        return
        [
            new(Ours, reproduce.FileName, [.. reproduce.Arguments, "bench", "pretrain", .. common, .. settings.ChannelsLast ? ["--memory-format", Identifiers.ChannelsLast] : Array.Empty<string>()], threads),
            new(PlainPyTorch, python, [script, .. common], threads),
            new(TunedPyTorch, python, [script, .. common, "--channels-last"], new Dictionary<string, string>(threads)
            {
                ["LD_PRELOAD"] = jemalloc,
                ["MALLOC_CONF"] = NativeAllocator.TunedSettings,
            }),
        ];
    }

    /// <summary>Runs every contender once per round, in turn, for <paramref name="repeats"/> rounds; reports each run as it ends.</summary>
    public static IReadOnlyList<SideBySideRun> Run(IReadOnlyList<Contender> contenders, int repeats, Action<SideBySideRun> finished)
    {
        var runs = new List<SideBySideRun>();
        for (var round = 1; round <= Math.Max(1, repeats); round++)
        {
            foreach (var contender in contenders)
            {
                var run = RunOnce(contender, round);
                runs.Add(run);
                finished(run);
            }
        }

        return runs;
    }

    /// <summary>
    /// Per contender, the median speed and peak; then ours over the faster PyTorch (by median): the speed ratio and the
    /// peak-memory ratio as the median of the rounds' ratios with their smallest and largest.
    /// </summary>
    public static SideBySideSummary Summarize(IReadOnlyList<SideBySideRun> runs)
    {
        var medians = runs.GroupBy(r => r.Contender)
            .Select(g => new ContenderMedian(g.Key, g.Select(r => r.ImagesPerSecond).Median(), g.Select(r => (double)r.PeakBytes).Median()))
            .ToList();
        var reference = medians.Where(m => m.Contender != Ours).MaxBy(m => m.ImagesPerSecond)
            ?? throw new ArgumentException("no PyTorch run to compare with", nameof(runs));
        var rounds = runs.Where(r => r.Contender == Ours)
            .Join(runs.Where(r => r.Contender == reference.Contender), r => r.Round, r => r.Round, (ours, theirs) => (ours, theirs))
            .ToList();
        return new SideBySideSummary(
            medians,
            reference.Contender,
            Spread.Of([.. rounds.Select(p => p.ours.ImagesPerSecond / p.theirs.ImagesPerSecond)]),
            Spread.Of([.. rounds.Select(p => (double)p.ours.PeakBytes / p.theirs.PeakBytes)]));
    }

    /// <summary>The images/s a contender printed: <c>…: 12.34 images/s …</c>, the line both benchmarks end with.</summary>
    internal static double? ImagesPerSecondIn(string output) =>
        RateLine().Match(output) is { Success: true } match ? double.Parse(match.Groups["rate"].Value, CultureInfo.InvariantCulture) : null;

    private static SideBySideRun RunOnce(Contender contender, int round)
    {
        var start = new ProcessStartInfo(contender.FileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in contender.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in contender.Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new EnvironmentException($"{contender.Name}: {contender.FileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.WaitForExit(SamplingInterval))
        {
            peak = Math.Max(peak, ProcessMemory.PeakResidentBytes(process.Id) ?? 0);
        }

        process.WaitForExit();
        var rate = ImagesPerSecondIn(output.Result);
        if (process.ExitCode != 0 || rate is null)
        {
            var how = ChildExit.Signal(process.ExitCode) is { } signal ? $"was killed by signal {signal} ({ChildExit.Meaning(signal)})" : $"exited with code {process.ExitCode}";
            throw new EnvironmentException($"{contender.Name} ({contender.FileName} {string.Join(' ', contender.Arguments)}) {how}: {errors.Result.Trim()}");
        }

        return new SideBySideRun(contender.Name, round, rate.Value, peak);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@": (?<rate>[0-9]+(\.[0-9]+)?) images/s")]
    private static partial Regex RateLine();

    /// <summary>A median with the smallest and largest of the values it is the median of.</summary>
    public sealed record Spread(double Median, double Min, double Max)
    {
        public static Spread Of(double[] values) => new(values.Median(), values.Min(), values.Max());
    }
}

/// <summary>One contender's command: the program, its arguments and the environment variables it gets on top of ours.</summary>
public sealed record Contender(string Name, string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment);

/// <summary>One timed process: images/s as it printed them, and its peak resident set seen from outside.</summary>
public sealed record SideBySideRun(string Contender, int Round, double ImagesPerSecond, long PeakBytes);

/// <summary>A contender's medians over the rounds.</summary>
public sealed record ContenderMedian(string Contender, double ImagesPerSecond, double PeakBytes);

/// <summary>What <see cref="PretrainSideBySide.Summarize"/> found: ours over <see cref="Reference"/>, the faster PyTorch.</summary>
public sealed record SideBySideSummary(IReadOnlyList<ContenderMedian> Medians, string Reference, PretrainSideBySide.Spread Speed, PretrainSideBySide.Spread Memory);
