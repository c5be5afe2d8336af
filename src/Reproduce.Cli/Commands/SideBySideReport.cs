using Reproduce.Core.Errors;
using Reproduce.Core.Stages;
using Reproduce.Learning.Benchmarks;

namespace Reproduce.Cli.Commands;

/// <summary>Runs a <see cref="SideBySide"/> benchmark and prints every run as it ends, each contender's medians and the ratios.</summary>
internal static class SideBySideReport
{
    /// <summary>
    /// The reference script <paramref name="script"/> (a path in the repository) under the repository root, once it and
    /// every required file (what it is for, its path) exist; a usage error names the first that does not.
    /// </summary>
    public static string ReferenceScript(string script, params (string What, string File)[] required)
    {
        var path = Path.Combine(Roots.FindRepositoryRoot(Directory.GetCurrentDirectory()), script);
        foreach (var (what, file) in required.Append(("the reference script", path)))
        {
            if (!File.Exists(file))
            {
                throw new UsageException($"{what}: {file} does not exist");
            }
        }

        return path;
    }

    public static void Print(IReadOnlyList<Contender> contenders, int repeats, string unit, string rateFormat)
    {
        var width = contenders.Max(c => c.Name.Length);
        var runs = SideBySide.Run(contenders, repeats, unit, run =>
            Console.WriteLine($"  round {run.Round} {run.Contender.PadRight(width)} {run.Rate.ToString(rateFormat),8} {unit}  peak {run.PeakBytes >> 20,6} MB"));
        var summary = SideBySide.Summarize(runs);
        foreach (var median in summary.Medians)
        {
            Console.WriteLine($"median {median.Contender.PadRight(width)} {median.Rate.ToString(rateFormat),8} {unit}  peak {(long)median.PeakBytes >> 20,6} MB");
        }

        var (speed, memory) = (summary.Speed, summary.Memory);
        Console.WriteLine($"{SideBySide.Ours} / {summary.Reference}: speed {speed.Median:0.00}× ({speed.Min:0.00}–{speed.Max:0.00}), peak memory {memory.Median:0.00}× ({memory.Min:0.00}–{memory.Max:0.00}) over {repeats} round(s)");
    }
}
