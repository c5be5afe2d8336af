using System.Diagnostics;
using Reproduce.Core.Errors;

namespace Reproduce.Core.Execution.Slurm;

/// <summary>A task of a job array as <c>squeue</c> shows it: its array job id, task index (null for the array's pending remainder) and state.</summary>
public sealed record QueuedTask(string JobId, int? Index, string State, string Reason);

/// <summary>
/// The Slurm client commands the executor needs: <c>sbatch</c>, <c>squeue</c> and <c>scancel</c>. Nothing relies on
/// <c>sacct</c>, which needs an accounting daemon many clusters (and the test cluster) do not run.
/// </summary>
public sealed class SlurmCommands
{
    /// <summary>Submits <paramref name="script"/>; returns the job id <c>sbatch --parsable</c> prints.</summary>
    public string Submit(string script)
    {
        var output = Run("sbatch", ["--parsable", script]);
        var id = output.Trim().Split(';')[0];
        return id.Length > 0 && id.All(char.IsAsciiDigit)
            ? id
            : throw new EnvironmentException($"sbatch {script}: expected a job id, got '{output.Trim()}'");
    }

    /// <summary>
    /// The tasks of <paramref name="jobId"/> the controller still knows (pending, running, or ended less than
    /// <c>MinJobAge</c> ago); none once it has forgotten the job. One job per call: squeue refuses a whole list when
    /// one id in it is gone.
    /// </summary>
    public IReadOnlyList<QueuedTask> Queue(string jobId)
    {
        // %F: the array job id, %K: the task index (or a range such as 0-3%2 while the remainder is pending).
        var output = Run("squeue", ["--noheader", "--array", "--states=all", "--jobs", jobId, "--format=%F|%K|%T|%r"], allowInvalidJob: true);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse)];
    }

    /// <summary>The cluster's <c>MaxArraySize</c>: an array may have task indices 0 to this minus 1 (1001 unless configured).</summary>
    public int MaxArraySize()
    {
        foreach (var line in Run("scontrol", ["show", "config"]).Split('\n'))
        {
            var parts = line.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[0] == "MaxArraySize" && int.TryParse(parts[1], out var size) && size > 0)
            {
                return size;
            }
        }

        throw new EnvironmentException("scontrol show config printed no MaxArraySize");
    }

    public void Cancel(IReadOnlyCollection<string> jobIds)
    {
        if (jobIds.Count > 0)
        {
            Run("scancel", [.. jobIds]);
        }
    }

    private static QueuedTask Parse(string line)
    {
        var fields = line.Split('|');
        if (fields.Length < 4)
        {
            throw new EnvironmentException($"squeue printed an unexpected line: '{line}'");
        }

        return new QueuedTask(fields[0], int.TryParse(fields[1], out var index) ? index : null, fields[2], fields[3]);
    }

    private static string Run(string program, IReadOnlyList<string> arguments, bool allowInvalidJob = false)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start) ?? throw new EnvironmentException($"{program} did not start");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0 && !(allowInvalidJob && error.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)))
            {
                throw new EnvironmentException($"{program} {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {error.Trim()}");
            }

            return output.Result;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new EnvironmentException($"--executor slurm: '{program}' is not on the PATH; run on a Slurm login node (or install slurm-client)");
        }
    }
}
