using System.Globalization;
using System.Text;
using Reproduce.Core.Cache;
using Reproduce.Core.Errors;
using Reproduce.Core.Keys;
using Reproduce.Core.Planning;

namespace Reproduce.Core.Execution.Slurm;

/// <summary>
/// Runs a plan on a Slurm cluster that shares the cache, data and results folders with this machine. The cells to
/// compute are submitted as job arrays, one per stage and set of upstream cells, each chained to the tasks it needs
/// with <c>afterok</c> and <c>--kill-on-invalid-dep=yes</c>. Grouping by upstream cells keeps a failure where it
/// belongs: <c>afterok</c> on a whole array waits for every task of it, so one failed download would otherwise
/// cancel the preprocessing of every dataset (a scratch fine-tuning cell never waits for pre-training either). A
/// dependency names an upstream array whole when it needs all of its tasks, else its tasks one by one. Task i of an array runs <c>reproduce run-cell</c> of this build on line i of the
/// array's key file, written with the cells' specs before anything is submitted. The executor then follows the run
/// from the cache and <c>squeue</c>: a published cell is the only proof of success, whatever a job's state says.
/// Each array's script, key file and per-task logs stay in <c>&lt;cache&gt;/.slurm/&lt;run&gt;/</c>. An array holds at
/// most <paramref name="maxTasks"/> cells (default: the cluster's <c>MaxArraySize</c>); more go into further arrays.
/// </summary>
public sealed class SlurmExecutor(CacheStore cache, Roots roots, RunSettings settings, ChildCommand command, SlurmCommands slurm, IExecutionObserver observer, TextWriter log, TimeProvider clock, TimeSpan pollInterval, int? maxTasks = null) : IExecutor
{
    private const int LogLinesShown = 8;

    private static readonly HashSet<string> ActiveStates = new(StringComparer.Ordinal)
    {
        "PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING", "SIGNALING", "STAGE_OUT", "STOPPED",
    };

    public async Task<ExecutionReport> RunAsync(Plan plan, CancellationToken cancellationToken)
    {
        var run = Path.Combine(cache.Root, ".slurm", $"{clock.GetUtcNow():yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        Directory.CreateDirectory(Path.Combine(run, "logs"));
        var arrays = Arrange(plan, maxTasks ?? slurm.MaxArraySize());
        foreach (var array in arrays)
        {
            array.JobId = slurm.Submit(WriteScript(run, array, plan.Keys));
            log.WriteLine($"submitted {array.Name}: job {array.JobId}, {array.Cells.Count} cell(s){(array.Upstream.Count > 0 ? $" after {Dependency(array)["afterok:".Length..]}" : "")}");
        }

        var outcomes = plan.Entries.Where(e => !e.WillRun).ToDictionary(e => e.Key, e => new CellOutcome(e, OutcomeKind.Cached, TimeSpan.Zero));
        try
        {
            while (arrays.Any(a => a.Cells.Any(c => !outcomes.ContainsKey(c.Key))))
            {
                foreach (var array in arrays.Where(a => a.Cells.Any(c => !outcomes.ContainsKey(c.Key))))
                {
                    Follow(array, run, outcomes, plan.Keys);
                }

                await Task.Delay(pollInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            slurm.Cancel([.. arrays.Select(a => a.JobId!)]);
            foreach (var cell in arrays.SelectMany(a => a.Cells).Where(c => !outcomes.ContainsKey(c.Key)))
            {
                Finish(outcomes, new CellOutcome(cell, OutcomeKind.Cancelled, TimeSpan.Zero));
            }
        }

        return new ExecutionReport([.. plan.Entries.Select(e => outcomes[e.Key])]);
    }

    /// <summary>The cells to compute grouped into arrays, upstream arrays first: one per stage and set of upstream cells to compute.</summary>
    private static List<JobArray> Arrange(Plan plan, int maxTasks)
    {
        var arrays = new List<JobArray>();
        var taskOf = new Dictionary<string, (JobArray Array, int Index)>(StringComparer.Ordinal);
        foreach (var entry in plan.Entries.Where(e => e.WillRun))
        {
            var upstream = entry.Cell.Upstream
                .Where(u => taskOf.ContainsKey(u.Address.Text))
                .Select(u => taskOf[u.Address.Text])
                .Distinct()
                .OrderBy(t => t.Array.Number).ThenBy(t => t.Index)
                .ToList();
            var array = arrays.FirstOrDefault(a => a.Stage == entry.Cell.Stage && a.Upstream.SequenceEqual(upstream) && a.Cells.Count < maxTasks);
            if (array is null)
            {
                array = new JobArray(arrays.Count, entry.Cell.Stage, upstream);
                arrays.Add(array);
            }

            taskOf[entry.Cell.Address.Text] = (array, array.Cells.Count);
            array.Cells.Add(entry);
        }

        return arrays;
    }

    /// <summary>
    /// <c>afterok:</c> and the jobs <paramref name="array"/> waits for: an upstream array's id when it needs every task
    /// of it, else <c>id_index</c> per task.
    /// </summary>
    private static string Dependency(JobArray array) => "afterok:" + string.Join(":", array.Upstream
        .GroupBy(t => t.Array)
        .SelectMany(g => g.Count() == g.Key.Cells.Count ? [g.Key.JobId!] : g.Select(t => $"{g.Key.JobId}_{t.Index}")));

    private string WriteScript(string run, JobArray array, CellKeys keysOfPlan)
    {
        var keys = Path.Combine(run, array.Name + ".keys");
        File.WriteAllLines(keys, array.Cells.Select(c => c.Status == CellStatus.Forced ? c.Key + " --force" : c.Key));
        foreach (var cell in array.Cells)
        {
            cache.WriteSpec(CellSpec.Of(cell.Cell, keysOfPlan));
        }

        var threads = settings.Threads.ToString(CultureInfo.InvariantCulture);
        var script = new StringBuilder()
            .AppendLine("#!/bin/bash")
            .AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --job-name=reproduce-{array.Stage}")
            .AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{array.Cells.Count - 1}")
            .AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --output={Path.Combine(run, "logs", array.Name)}_%a.out")
            .AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={threads}")
            .AppendLine("#SBATCH --kill-on-invalid-dep=yes");
        if (array.Upstream.Count > 0)
        {
            script.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --dependency={Dependency(array)}");
        }

        string[] runCell =
        [
            .. command.Arguments.Prepend(command.FileName).Select(Quote), "run-cell", "$line",
            "--cache", Quote(roots.Cache), "--data", Quote(roots.Data), "--results", Quote(roots.Results),
            "--threads", threads, "--checkpoint-every", settings.CheckpointEvery.ToString(CultureInfo.InvariantCulture),
        ];
        script
            .AppendLine("set -eu")
            .AppendLine(CultureInfo.InvariantCulture, $"line=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" {Quote(keys)})")
            // $line is the key and, for a forced cell, --force: split on purpose.
            .AppendLine(CultureInfo.InvariantCulture, $"exec {string.Join(' ', runCell)}");
        var path = Path.Combine(run, array.Name + ".sh");
        File.WriteAllText(path, script.ToString());
        return path;
    }

    private void Follow(JobArray array, string run, Dictionary<string, CellOutcome> outcomes, CellKeys keys)
    {
        var queued = slurm.Queue(array.JobId!);
        var remainderPending = queued.Any(t => t.Index is null && ActiveStates.Contains(t.State));
        for (var index = 0; index < array.Cells.Count; index++)
        {
            var cell = array.Cells[index];
            if (outcomes.ContainsKey(cell.Key))
            {
                continue;
            }

            if (cache.TryReadComplete(cell.Cell.Stage, cell.Key) is { } meta)
            {
                Finish(outcomes, new CellOutcome(cell, OutcomeKind.Computed, TimeSpan.FromSeconds(meta.Seconds)));
                continue;
            }

            var task = queued.FirstOrDefault(t => t.Index == index);
            if ((task is not null && ActiveStates.Contains(task.State)) || (task is null && remainderPending))
            {
                continue;
            }

            var blocked = cell.Cell.Upstream.Any(u => outcomes.TryGetValue(keys.KeyOf(u), out var upstream) && upstream.Kind is OutcomeKind.Failed or OutcomeKind.Skipped or OutcomeKind.Cancelled);
            Finish(outcomes, blocked
                ? new CellOutcome(cell, OutcomeKind.Skipped, TimeSpan.Zero)
                : new CellOutcome(cell, OutcomeKind.Failed, TimeSpan.Zero, new CellProcessException(Reason(array, index, task, run))));
        }
    }

    /// <summary>A word for bash, in single quotes.</summary>
    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Why a task ended without publishing its cell: its state and the last lines of its log.</summary>
    private static string Reason(JobArray array, int index, QueuedTask? task, string run)
    {
        var taskLog = Path.Combine(run, "logs", $"{array.Name}_{index}.out");
        var state = task is null ? "its job left the queue" : $"its task ended {task.State}{(task.Reason is "None" or "" ? "" : $" ({task.Reason})")}";
        var tail = File.Exists(taskLog) ? File.ReadLines(taskLog).TakeLast(LogLinesShown).ToList() : [];
        return $"job {array.JobId}_{index}: {state} without publishing the cell" + (tail.Count > 0 ? $"; the end of {taskLog}:\n  " + string.Join("\n  ", tail) : $"; no log at {taskLog}");
    }

    private void Finish(Dictionary<string, CellOutcome> outcomes, CellOutcome outcome)
    {
        outcomes[outcome.Entry.Key] = outcome;
        observer.CellFinished(outcome);
    }

    /// <summary>One submitted array: its cells in task order and the upstream tasks they wait for.</summary>
    private sealed class JobArray(int number, string stage, IReadOnlyList<(JobArray Array, int Index)> upstream)
    {
        public int Number { get; } = number;
        public string Stage { get; } = stage;
        public IReadOnlyList<(JobArray Array, int Index)> Upstream { get; } = upstream;
        public List<PlanEntry> Cells { get; } = [];
        public string Name => $"{Number:00}-{Stage}";
        public string? JobId { get; set; }
    }
}
