using System.Diagnostics;
using Reproduce.Core.Errors;

namespace Reproduce.Cli.Composition;

/// <summary>
/// The CUDA devices a run's workers share out, found without loading libtorch into the run's own process: the ids
/// given with <c>--devices</c>, else those in <c>CUDA_VISIBLE_DEVICES</c>, else every GPU <c>nvidia-smi</c> lists.
/// </summary>
internal static class GpuDevices
{
    public static IReadOnlyList<string> Choose(string device, string? given)
    {
        if (device != "cuda")
        {
            return given is null ? [] : throw new UsageException("--devices chooses GPUs: it needs --device cuda");
        }

        if (given is not null)
        {
            var ids = Split(given);
            return ids.Count > 0 && ids.All(id => id.All(char.IsAsciiDigit) || id.StartsWith("GPU-", StringComparison.Ordinal))
                ? ids
                : throw new UsageException($"--devices '{given}': a comma-separated list of GPU indices or UUIDs, e.g. 0,1,2,3");
        }

        return Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES") is { } visible ? Split(visible) : Listed();
    }

    /// <summary>
    /// The name of the first GPU this process sees (its worker's one device under <c>CUDA_VISIBLE_DEVICES</c>), as
    /// <c>nvidia-smi</c> gives it; null without one.
    /// </summary>
    public static string? NameOfVisible()
    {
        var visible = Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES") is { } ids ? Split(ids).FirstOrDefault() : null;
        return Query("--query-gpu=name --format=csv,noheader" + (visible is null ? "" : $" -i {visible}")).FirstOrDefault();
    }

    private static List<string> Split(string text) => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>The indices <c>nvidia-smi</c> lists; none when it is not there (each cell then sees whatever CUDA shows it).</summary>
    private static List<string> Listed() => Query("--query-gpu=index --format=csv,noheader");

    /// <summary>The lines <c>nvidia-smi</c> prints for <paramref name="arguments"/>; none when it is missing or fails.</summary>
    private static List<string> Query(string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("nvidia-smi", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process is null)
            {
                return [];
            }

            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : [];
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return [];
        }
    }
}
