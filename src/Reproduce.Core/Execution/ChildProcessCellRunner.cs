using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Reproduce.Core.Errors;
using Reproduce.Core.Stages;

namespace Reproduce.Core.Execution;

/// <summary>
/// Computes a cell in a child process, <c>reproduce run-cell KEY --events</c> of the same build, which reads the cell's
/// spec from the cache and reports over <see cref="CellEvents"/>. The child gets the run's roots, device, threads and
/// checkpoint interval on its command line and, on CUDA, its worker's GPU as its only visible device. A child that
/// dies (a signal, the kernel's out-of-memory killer) fails its cell with the signal and the peak resident set last
/// seen. Cancelling sends the child SIGTERM (it stops and keeps its checkpoints), then SIGKILL after
/// <paramref name="stopGrace"/>.
/// </summary>
public sealed class ChildProcessCellRunner(ChildCommand command, Roots roots, RunSettings settings, TimeSpan stopGrace) : ICellRunner
{
    private const int SigTerm = 15;
    private const int StderrLinesKept = 12;
    private const int StderrLineLength = 400;
    private static readonly TimeSpan MemoryPollInterval = TimeSpan.FromMilliseconds(500);

    public async Task<CellRunResult> RunAsync(CellRun run, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = StartInfo(run) };
        process.Start();
        var errors = new Queue<string>();
        var stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
            {
                lock (errors)
                {
                    errors.Enqueue(line.Length > StderrLineLength ? line[..StderrLineLength] + " …" : line);
                    if (errors.Count > StderrLinesKept)
                    {
                        errors.Dequeue();
                    }
                }
            }
        }, CancellationToken.None);

        long peak = 0;
        using var exited = new CancellationTokenSource();
        var memory = Task.Run(async () =>
        {
            while (!exited.IsCancellationRequested)
            {
                peak = Math.Max(peak, ProcessMemory.PeakResidentBytes(process.Id) ?? 0);
                try
                {
                    await Task.Delay(MemoryPollInterval, exited.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }, CancellationToken.None);

        using var stop = cancellationToken.Register(() => _ = StopAsync(process));
        System.Text.Json.Nodes.JsonObject? last = null;
        while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
        {
            var json = CellEvents.TryParse(line);
            switch (json?["event"]!.GetValue<string>())
            {
                case null:
                    run.Progress.Message(line);
                    break;
                case CellEvents.Started:
                    run.Started();
                    break;
                case CellEvents.Progress:
                    run.Progress.Report(json["done"]!.GetValue<double>(), json["total"]!.GetValue<double>(), json["unit"]!.GetValue<string>());
                    break;
                case CellEvents.Message:
                    run.Progress.Message(json["text"]!.GetValue<string>());
                    break;
                default:
                    last = json;
                    break;
            }
        }

        await process.WaitForExitAsync(CancellationToken.None);
        await exited.CancelAsync();
        await Task.WhenAll(stderr, memory);

        var lastEvent = last?["event"]!.GetValue<string>();
        if (lastEvent == CellEvents.Finished)
        {
            return CellEvents.ResultOf(last!);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (lastEvent == CellEvents.Failed)
        {
            throw CellEvents.ErrorOf(last!);
        }

        string[] tail;
        lock (errors)
        {
            tail = [.. errors];
        }

        throw new CellProcessException(Died(process.ExitCode, peak) + (tail.Length > 0 ? $"; its last error output: {string.Join(" | ", tail)}" : ""));
    }

    /// <summary>How a child that reported no result ended, in words.</summary>
    public static string Died(int exitCode, long peakResidentBytes)
    {
        var memory = peakResidentBytes > 0 ? $" at a peak resident set of {peakResidentBytes / (1024.0 * 1024 * 1024):0.00} GB" : "";
        if (ChildExit.Signal(exitCode) is { } signal)
        {
            return $"its process was killed by signal {signal} ({ChildExit.Meaning(signal)}){memory}";
        }

        return $"its process exited with code {exitCode} without reporting a result{memory}";
    }

    private ProcessStartInfo StartInfo(CellRun run)
    {
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,   // never written: the child stops when it closes, that is when this process is gone
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        string[] arguments =
        [
            "run-cell", run.Spec.Key, "--events",
            "--cache", roots.Cache, "--data", roots.Data, "--results", roots.Results,
            "--device", settings.Device,
            "--threads", settings.Threads.ToString(CultureInfo.InvariantCulture),
            "--checkpoint-every", settings.CheckpointEvery.ToString(CultureInfo.InvariantCulture),
        ];
        foreach (var argument in run.Force ? [.. arguments, "--force"] : arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in EnvironmentOf(settings, run.Worker, Environment.ProcessorCount, Environment.GetEnvironmentVariable))
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>
    /// What a worker's child adds to its environment: on CUDA with devices given, its one device
    /// (<c>CUDA_VISIBLE_DEVICES</c>; inside the child it is <c>cuda:0</c>), worker i getting device i modulo their number.
    /// When the workers' threads outnumber the cores, a passive OpenMP wait (unless the user chose one): libgomp's
    /// default spinning then takes the cores the other cells need (two ResNet-18 steps side by side on 2 cores ran
    /// 4.1× slower than with a passive wait).
    /// </summary>
    public static IReadOnlyDictionary<string, string> EnvironmentOf(RunSettings settings, int worker, int cores, Func<string, string?> environment)
    {
        var added = new Dictionary<string, string>();
        if (settings.Device == "cuda" && settings.Devices.Count > 0)
        {
            added["CUDA_VISIBLE_DEVICES"] = settings.Devices[worker % settings.Devices.Count];
        }

        if (settings.Workers * settings.Threads > cores && string.IsNullOrEmpty(environment("OMP_WAIT_POLICY")))
        {
            added["OMP_WAIT_POLICY"] = "PASSIVE";
        }

        return added;
    }

    private async Task StopAsync(Process process)
    {
        try
        {
            _ = Kill(process.Id, SigTerm);
            using var grace = new CancellationTokenSource(stopGrace);
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // it had already exited
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int processId, int signal);
}
