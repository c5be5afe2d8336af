using System.Diagnostics;
using Reproduce.Core.Keys;

namespace Reproduce.Cli.Tests;

/// <summary>Each fine-tuning cell of <c>reproduce run</c> computes in a process of its own; one that dies takes only its own cell down.</summary>
public sealed class CellProcessTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    private readonly string temp = Directory.CreateTempSubdirectory("reproduce-cells-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private string Cache => Path.Combine(temp, "cache");

    [Fact]
    public async Task ACellProcessKilledBySIGKILLFailsItsCellBlocksItsDownstreamAndTheRerunComputesOnlyWhatIsMissing()
    {
        // organsmnist from scratch at a quarter of the training set: 2 fine-tuning cells (2 folds) and their aggregate.
        var manifest = Path.Combine(temp, "scratch.yaml");
        File.WriteAllText(manifest, $"extends: {Path.Combine(CliProcess.RepositoryRoot, "experiments", "ci.yaml")}\nfinetune:\n  inits: [scratch]\nevaluation:\n  fractions: [0.25]\n");
        var environment = new Dictionary<string, string?> { ["REPRODUCE_CACHE"] = Cache, ["REPRODUCE_DATA"] = Path.Combine(temp, "data") };
        string[] arguments = ["run", "--manifest", manifest, "--task", "organsmnist"];

        var running = Task.Run(() => CliProcess.RunWithin(Limit, temp, environment, arguments));
        var killed = await KillFirstFinetuneProcessAsync(running);
        var first = await running;

        Assert.True(first.ExitCode == 1, first.ToString());
        Assert.Contains(first.OutputLines, l => l.StartsWith($"failed  {killed}: its process was killed by signal 9 (SIGKILL", StringComparison.Ordinal));
        Assert.Contains(first.OutputLines, l => l.Contains("aggregate[task=organsmnist]: skipped, an upstream cell did not finish", StringComparison.Ordinal));
        Assert.Contains(first.OutputLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["finetune", "0", "1", "1", "0", "0", ..]);

        var rerun = CliProcess.RunWithin(Limit, temp, environment, arguments);

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        var started = rerun.OutputLines.Where(l => l.StartsWith("start   ", StringComparison.Ordinal)).Select(l => l.Split(" (", 2)[0]["start   ".Length..]).ToList();
        Assert.Equal([killed, "aggregate[task=organsmnist]"], started);
    }

    [Fact]
    public async Task CtrlCToTheRunStopsItsCellProcessesAndExits130WithNoPartialCell()
    {
        var environment = new Dictionary<string, string?> { ["REPRODUCE_CACHE"] = Cache, ["REPRODUCE_DATA"] = Path.Combine(temp, "data") };
        // A pre-training far longer than the test needs: on a loaded machine this test's own threads may be slow to
        // send the signal, and a cell that finished first would leave nothing to interrupt.
        var manifest = Path.Combine(temp, "long.yaml");
        File.WriteAllText(manifest, $"extends: {Path.Combine(CliProcess.RepositoryRoot, "experiments", "ci.yaml")}\npretrain:\n  methods:\n    byol: {{epochs: 100}}\n");
        var running = Task.Run(() => CliProcess.RunWithin(Limit, temp, environment, "run", "--manifest", manifest, "--only", "pretrain", "--method", "byol"));
        var (cell, child) = await CellProcessAsync(running, "pretrain");
        var parent = ParentOf(child);
        Assert.Contains("reproduce.dll", ReadOrEmpty($"/proc/{parent}/cmdline"), StringComparison.Ordinal);

        using (var kill = Process.Start("kill", ["-INT", parent.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var result = await running;

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.False(Directory.Exists($"/proc/{child}") && !ReadOrEmpty($"/proc/{child}/stat").Contains(") Z ", StringComparison.Ordinal), $"the process of {cell} still runs");
        Assert.False(Directory.Exists(Path.Combine(Cache, "pretrain")), "a pretrain cell was published although interrupted");
        Assert.Contains(result.OutputLines, l => l.Contains($"{cell}: interrupted", StringComparison.Ordinal));
    }

    /// <summary>
    /// Waits for the first fine-tuning cell whose lock a <c>run-cell</c> process holds (its pid is recorded beside the
    /// lock), kills that process with SIGKILL, and returns the cell's address.
    /// </summary>
    private async Task<string> KillFirstFinetuneProcessAsync(Task run)
    {
        var (cell, child) = await CellProcessAsync(run, "finetune");
        using var process = Process.GetProcessById(child);
        process.Kill();   // SIGKILL on Linux
        return cell;
    }

    /// <summary>The first cell of <paramref name="stage"/> whose lock a <c>run-cell</c> process holds, and that process.</summary>
    private async Task<(string Cell, int ProcessId)> CellProcessAsync(Task run, string stage)
    {
        var locks = Path.Combine(Cache, ".locks");
        while (!run.IsCompleted)
        {
            foreach (var owner in Directory.Exists(locks) ? Directory.GetFiles(locks, "*.owner", SearchOption.AllDirectories) : [])
            {
                var key = Path.GetFileNameWithoutExtension(owner);
                var spec = Path.Combine(Cache, ".specs", key[..2], key + ".json");
                if (File.Exists(spec) && CellSpec.Read(spec) is { } cell && cell.Stage == stage
                    && Core.Cache.LockOwner.TryParse(ReadOrEmpty(owner)) is { } holder
                    && ReadOrEmpty($"/proc/{holder.ProcessId}/cmdline").Contains("run-cell", StringComparison.Ordinal))
                {
                    return (cell.Address.Text, holder.ProcessId);
                }
            }

            await Task.Delay(50);
        }

        Assert.Fail($"the run ended before any {stage} cell ran in a process of its own");
        return ("", 0);
    }

    /// <summary>The parent process id, the fourth field of <c>/proc/PID/stat</c> (after the parenthesised name).</summary>
    private static int ParentOf(int processId) =>
        int.Parse(ReadOrEmpty($"/proc/{processId}/stat").Split(") ", 2)[1].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }
}
