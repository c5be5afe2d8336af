using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MathNet.Numerics.Statistics;
using Reproduce.Core.Errors;
using Reproduce.Core.Execution;

namespace Reproduce.Learning.Benchmarks;

/// <summary>
/// A benchmark of this build beside reference implementations in one invocation: every contender runs in a fresh
/// process, taking turns over <c>repeats</c> rounds so that drift of the machine reaches every contender alike, and
/// prints its rate in the benchmark's unit (<c>…: 12.34 images/s …</c>). Each process's peak resident set is read the
/// same way, from outside (<c>VmHWM</c>, sampled until it exits). <see cref="PretrainSideBySide"/> and
/// <see cref="ViewsSideBySide"/> name the contenders.
/// </summary>
public static class SideBySide
{
    /// <summary>The contender whose speed and memory the ratios put over the fastest reference's.</summary>
    public const string Ours = "reproduce";

    private static readonly TimeSpan SamplingInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Runs every contender once per round, in turn, for <paramref name="repeats"/> rounds, reading the rate each
    /// prints in <paramref name="unit"/>; reports each run as it ends.
    /// </summary>
    public static IReadOnlyList<SideBySideRun> Run(IReadOnlyList<Contender> contenders, int repeats, string unit, Action<SideBySideRun> finished)
    {
        var runs = new List<SideBySideRun>();
        for (var round = 1; round <= Math.Max(1, repeats); round++)
        {
            foreach (var contender in contenders)
            {
                var run = RunOnce(contender, round, unit);
                runs.Add(run);
                finished(run);
            }
        }

        return runs;
    }

    /// <summary>
    /// Per contender, the median rate and peak; then ours over the fastest reference (by median): the speed ratio and
    /// the peak-memory ratio as the median of the rounds' ratios with their smallest and largest.
    /// </summary>
    public static SideBySideSummary Summarize(IReadOnlyList<SideBySideRun> runs)
    {
        var medians = runs.GroupBy(r => r.Contender)
            .Select(g => new ContenderMedian(g.Key, g.Select(r => r.Rate).Median(), g.Select(r => (double)r.PeakBytes).Median()))
            .ToList();
        var reference = medians.Where(m => m.Contender != Ours).MaxBy(m => m.Rate)
            ?? throw new ArgumentException("no reference run to compare with", nameof(runs));
        var rounds = runs.Where(r => r.Contender == Ours)
            .Join(runs.Where(r => r.Contender == reference.Contender), r => r.Round, r => r.Round, (ours, theirs) => (ours, theirs))
            .ToList();
        return new SideBySideSummary(
            medians,
            reference.Contender,
            Spread.Of([.. rounds.Select(p => p.ours.Rate / p.theirs.Rate)]),
            Spread.Of([.. rounds.Select(p => (double)p.ours.PeakBytes / p.theirs.PeakBytes)]));
    }

    /// <summary>A number as a command-line argument, whatever the culture.</summary>
    public static string Argument(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The first rate a contender printed in <paramref name="unit"/> (<c>…: 12.34 images/s …</c>), or null.</summary>
    public static double? RateIn(string output, string unit) =>
        Regex.Match(output, $@": (?<rate>[0-9]+(\.[0-9]+)?) {Regex.Escape(unit)}") is { Success: true } match
            ? double.Parse(match.Groups["rate"].Value, CultureInfo.InvariantCulture)
            : null;

    private static SideBySideRun RunOnce(Contender contender, int round, string unit)
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
        var rate = RateIn(output.Result, unit);
        if (process.ExitCode != 0 || rate is null)
        {
            var how = ChildExit.Signal(process.ExitCode) is { } signal ? $"was killed by signal {signal} ({ChildExit.Meaning(signal)})" : $"exited with code {process.ExitCode}";
            throw new EnvironmentException($"{contender.Name} ({contender.FileName} {string.Join(' ', contender.Arguments)}) {how}: {errors.Result.Trim()}");
        }

        return new SideBySideRun(contender.Name, round, rate.Value, peak);
    }

    /// <summary>A median with the smallest and largest of the values it is the median of.</summary>
    public sealed record Spread(double Median, double Min, double Max)
    {
        public static Spread Of(double[] values) => new(values.Median(), values.Min(), values.Max());
    }
}

/// <summary>One contender's command: the program, its arguments and the environment variables it gets on top of ours.</summary>
public sealed record Contender(string Name, string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment);

/// <summary>One timed process: its rate as it printed it, and its peak resident set seen from outside.</summary>
public sealed record SideBySideRun(string Contender, int Round, double Rate, long PeakBytes);

/// <summary>A contender's medians over the rounds.</summary>
public sealed record ContenderMedian(string Contender, double Rate, double PeakBytes);

/// <summary>What <see cref="SideBySide.Summarize"/> found: ours over <see cref="Reference"/>, the fastest reference.</summary>
public sealed record SideBySideSummary(IReadOnlyList<ContenderMedian> Medians, string Reference, SideBySide.Spread Speed, SideBySide.Spread Memory);
