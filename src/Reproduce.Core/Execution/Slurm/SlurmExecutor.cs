using System.Globalization;
using System.Text;
using Reproduce.Core.Cache;
using Reproduce.Core.Errors;
using Reproduce.Core.Keys;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;

namespace Reproduce.Core.Execution.Slurm;

/// <summary>
/// Runs a plan on a Slurm cluster that shares the cache, data and results folders with this machine. The cells to
/// compute are submitted as job arrays, one per stage and set of upstream cells, each chained to the tasks it needs
/// with <c>afterok</c> and <c>--kill-on-invalid-dep=yes</c>. Grouping by upstream cells keeps a failure where it
/// belongs: <c>afterok</c> on a whole array waits for every task of it, so one failed download would otherwise
/// cancel the preprocessing of every dataset (a scratch fine-tuning cell never waits for pre-training either). A
/// dependency names an upstream array whole when it needs all of its tasks, else its tasks one by one.
/// <para>
/// Before submitting, each cell's <see cref="SlurmLease"/> is taken in the shared cache: a cell another submission
/// has in flight is not submitted again but waited for, and a downstream cell depends on that task. Task i of an
/// array runs <c>reproduce run-cell</c> of this build on line i of the array's key file, written with the cells'
/// specs before anything is submitted, with its stage's <see cref="SlurmResources"/>. The executor then follows the
/// run from the cache and <c>squeue</c>: a published cell is the only proof of success, whatever a job's state says,
/// and a task of its own that ended in a state a retry can fix (<see cref="SlurmRetry"/>) is submitted again.
/// Each array's script, key file and per-task logs stay in <c>&lt;cache&gt;/.slurm/&lt;run&gt;/</c>. An array holds
/// at most <paramref name="maxTasks"/> cells (default: the cluster's <c>MaxArraySize</c>); more go into further arrays.
/// </para>
/// </summary>
public sealed class SlurmExecutor(StageRegistry stages, CacheStore cache, Roots roots, RunSettings settings, SlurmSpec resources, ChildCommand command, SlurmCommands slurm, IExecutionObserver observer, TextWriter log, TimeProvider clock, TimeSpan pollInterval, int? maxTasks = null) : IExecutor
{
    /// <summary>How long before its time limit a resumable task is told to checkpoint: a checkpoint takes seconds, a step at most a few.</summary>
    private const int WarningSeconds = 120;

    /// <summary>How long a submission waits for another one, which took a cell's lease, to name that cell's task.</summary>
    private static readonly TimeSpan SubmissionWait = TimeSpan.FromMinutes(1);

    private readonly SlurmTracker tracker = new(cache, slurm);

    public async Task<ExecutionReport> RunAsync(Plan plan, CancellationToken cancellationToken)
    {
        var submission = Submit(plan);
        return await FollowAsync(plan, submission, cancellationToken);
    }

    /// <summary>
    /// Takes the lease of every cell to compute and submits those no other submission has in flight; returns the
    /// task of every cell to compute, submitted now or adopted.
    /// </summary>
    public SlurmSubmission Submit(Plan plan)
    {
        var run = $"{clock.GetUtcNow():yyyyMMdd-HHmmss}-{Environment.ProcessId}";
        var queue = new QueueSnapshot(slurm);
        var tasks = new Dictionary<string, SlurmLease>(StringComparer.Ordinal);
        var ours = new List<PlanEntry>();
        var jobIds = new List<string>();
        try
        {
            foreach (var entry in plan.Entries.Where(e => e.WillRun))
            {
                if (Claim(entry.Key, run, queue) is { } inFlight)
                {
                    tasks[entry.Key] = inFlight;
                    log.WriteLine($"in flight: {entry.Cell} as task {inFlight.Task} of an earlier submission");
                }
                else if (entry.Status != CellStatus.Forced && cache.TryReadComplete(entry.Cell.Stage, entry.Key) is not null)
                {
                    // Another submission's task published the cell (and let its lease go) since this one planned; a
                    // forced cell is published already, and is computed again all the same.
                    SlurmLease.Release(cache.Root, entry.Key);
                    log.WriteLine($"published meanwhile: {entry.Cell}");
                }
                else
                {
                    ours.Add(entry);
                }
            }

            if (ours.Count > 0)
            {
                SubmitArrays(run, Arrange(ours, tasks, plan.Keys, jobIds.Count, new Dictionary<string, SlurmResources>()), plan.Keys, tasks, jobIds);
            }
        }
        finally
        {
            // A cell taken but never submitted gives its lease back, so the next submission need not wait for it to age.
            foreach (var entry in ours.Where(e => !tasks.ContainsKey(e.Key)))
            {
                SlurmLease.Release(cache.Root, entry.Key);
            }
        }

        return new SlurmSubmission(run, jobIds, tasks);
    }

    /// <summary>
    /// Waits until every cell of <paramref name="submission"/> is published or has failed, resubmitting a task of this
    /// submission that ended in a state a retry can fix (<see cref="SlurmRetry"/>); Ctrl+C cancels its own jobs.
    /// </summary>
    public async Task<ExecutionReport> FollowAsync(Plan plan, SlurmSubmission submission, CancellationToken cancellationToken)
    {
        var outcomes = plan.Entries.Where(e => !e.WillRun).ToDictionary(e => e.Key, e => new CellOutcome(e, OutcomeKind.Cached, TimeSpan.Zero));
        var tasks = new Dictionary<string, SlurmLease>(submission.Tasks, StringComparer.Ordinal);
        var jobIds = submission.JobIds.ToList();
        var retries = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            while (outcomes.Count < plan.Entries.Count)
            {
                var queue = new QueueSnapshot(slurm);
                foreach (var entry in plan.Entries.Where(e => !outcomes.ContainsKey(e.Key)))
                {
                    if (!tasks.TryGetValue(entry.Key, out var lease))
                    {
                        // Published by another submission before this one needed a task for it.
                        Finish(outcomes, new CellOutcome(entry, OutcomeKind.Cached, TimeSpan.Zero));
                        continue;
                    }

                    if (tracker.Observe(entry, lease, queue, outcomes, plan.Keys) is not { } outcome)
                    {
                        continue;
                    }

                    var ended = queue.Task(lease.JobId!, lease.Index);
                    if (outcome.Kind == OutcomeKind.Failed && lease.Run == submission.Run && RetryOf(entry, ended, retries) is { } retry)
                    {
                        log.WriteLine($"retry {retries[entry.Key]} of {retry.Attempts}: {entry.Cell}: task {lease.Task} ended {ended!.State}; submitting the cell again");
                        Resubmit(plan, entry, retry.Resources, submission.Run, queue, outcomes, tasks, jobIds);
                        continue;
                    }

                    Finish(outcomes, outcome);
                }

                if (outcomes.Count < plan.Entries.Count)
                {
                    await Task.Delay(pollInterval, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
            slurm.Cancel(jobIds);
            foreach (var entry in plan.Entries.Where(e => !outcomes.ContainsKey(e.Key)))
            {
                if (tasks.TryGetValue(entry.Key, out var lease) && lease.Run == submission.Run)
                {
                    SlurmLease.Release(cache.Root, entry.Key);
                }

                Finish(outcomes, new CellOutcome(entry, OutcomeKind.Cancelled, TimeSpan.Zero));
            }
        }

        return new ExecutionReport([.. plan.Entries.Select(e => outcomes[e.Key])]);
    }

    /// <summary>
    /// The resources to resubmit a cell's ended task with, and its stage's number of retries, when the state it ended
    /// in is one a retry can fix and retries are left (counting this one in <paramref name="retries"/>); else null.
    /// </summary>
    private (SlurmResources Resources, int Attempts)? RetryOf(PlanEntry entry, QueuedTask? ended, Dictionary<string, int> retries)
    {
        var stage = resources.For(entry.Cell.Stage);
        var attempts = stage.Retries ?? SlurmResources.DefaultRetries;
        // A task the controller no longer shows ended in a state nobody can tell: not retried.
        if (ended is null || retries.GetValueOrDefault(entry.Key) >= attempts
            || SlurmRetry.After(ended.State, stage, stages.Descriptor(entry.Cell.Stage).Resumable) is not { } retry)
        {
            return null;
        }

        retries[entry.Key] = retries.GetValueOrDefault(entry.Key) + 1;
        return (retry, attempts);
    }

    /// <summary>
    /// Submits <paramref name="entry"/> again with <paramref name="retry"/>'s resources, and with it every downstream
    /// cell of this run still waiting on it: <c>--kill-on-invalid-dep</c> makes Slurm cancel their tasks (cancelled
    /// here first, so none lingers), and the new tasks depend on the new one.
    /// </summary>
    private void Resubmit(Plan plan, PlanEntry entry, SlurmResources retry, string run, QueueSnapshot queue, Dictionary<string, CellOutcome> outcomes, Dictionary<string, SlurmLease> tasks, List<string> jobIds)
    {
        var again = new List<PlanEntry> { entry };
        var waiting = new HashSet<string>(StringComparer.Ordinal) { entry.Key };
        foreach (var downstream in plan.Entries.Where(e => !outcomes.ContainsKey(e.Key) && tasks.TryGetValue(e.Key, out var lease) && lease.Run == run))
        {
            var upstream = downstream.Cell.Upstream.Select(plan.Keys.KeyOf).ToList();
            // A cell that also waits on a failed one stays blocked: its task is cancelled by Slurm and reported so.
            if (upstream.Any(waiting.Contains) && !upstream.Any(k => outcomes.TryGetValue(k, out var o) && o.Kind is not (OutcomeKind.Cached or OutcomeKind.Computed)))
            {
                again.Add(downstream);
                waiting.Add(downstream.Key);
            }
        }

        slurm.Cancel([.. again.Skip(1).Select(e => tasks[e.Key]).Where(l => queue.IsActive(l.JobId!, l.Index)).Select(l => l.Task!)]);
        var inFlight = tasks.Where(t => !waiting.Contains(t.Key) && !outcomes.ContainsKey(t.Key)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        var arrays = Arrange(again, inFlight, plan.Keys, jobIds.Count, new Dictionary<string, SlurmResources>(StringComparer.Ordinal) { [entry.Key] = retry });
        SubmitArrays(run, arrays, plan.Keys, tasks, jobIds);
    }

    /// <summary>Submits <paramref name="arrays"/> in order, recording each cell's task in its lease and in <paramref name="tasks"/>.</summary>
    private void SubmitArrays(string run, List<JobArray> arrays, CellKeys keys, Dictionary<string, SlurmLease> tasks, List<string> jobIds)
    {
        var folder = Path.Combine(cache.Root, ".slurm", run);
        Directory.CreateDirectory(Path.Combine(folder, "logs"));
        foreach (var array in arrays)
        {
            array.JobId = slurm.Submit(WriteScript(folder, array, keys));
            jobIds.Add(array.JobId);
            for (var index = 0; index < array.Cells.Count; index++)
            {
                var lease = Lease(run) with { JobId = array.JobId, Index = index, Log = LogOf(folder, array, index) };
                SlurmLease.Write(cache.Root, array.Cells[index].Key, lease);
                tasks[array.Cells[index].Key] = lease;
            }

            var changed = Changes(resources.For(array.Stage), array.Resources);
            log.WriteLine($"submitted {array.Name}: job {array.JobId}, {array.Cells.Count} cell(s){(changed.Length > 0 ? $" with {changed}" : "")}{(array.Upstream.Count > 0 ? $" after {Dependency(array)["afterok:".Length..]}" : "")}");
        }
    }

    /// <summary>
    /// Takes the lease of a cell for <paramref name="run"/> (null), or returns the task of another submission that
    /// has it in flight. A lease whose task is gone, or whose submission named no task in time, is taken over.
    /// </summary>
    private SlurmLease? Claim(string key, string run, QueueSnapshot queue)
    {
        var lease = Lease(run);
        var deadline = clock.GetUtcNow() + SubmissionWait;
        while (true)
        {
            if (SlurmLease.TryTake(cache.Root, key, lease))
            {
                return null;
            }

            var held = SlurmLease.Read(cache.Root, key);
            if (held is { Task: not null } && queue.IsActive(held.JobId!, held.Index))
            {
                return held;
            }

            var submitting = held is { Task: null } && clock.GetUtcNow() - held.Taken < SlurmLease.SubmissionTimeout;
            if (held is not null && !submitting && SlurmLease.TryTakeOver(cache.Root, key, held, lease))
            {
                return null;
            }

            if (clock.GetUtcNow() > deadline)
            {
                throw new EnvironmentException(held is null
                    ? $"the Slurm lease of the cell {key[..12]} ({SlurmLease.PathOf(cache.Root, key)}) keeps changing under this submission; run again"
                    : $"another submission ({held.Run}, pid {held.ProcessId} on {held.Host}) took the cell {key[..12]} and has named no task for it in {SubmissionWait.TotalSeconds:0} s; run again once it has printed its job ids");
            }

            // Another submission is between taking the lease and naming its task (or let it go): its task appears in seconds.
            Thread.Sleep(pollInterval);
            queue = new QueueSnapshot(slurm);
        }
    }

    private SlurmLease Lease(string run) => new(run, Environment.MachineName, Environment.ProcessId, clock.GetUtcNow());

    /// <summary>
    /// The cells to compute grouped into arrays numbered from <paramref name="first"/>, upstream arrays first: one per
    /// stage, set of upstream tasks and resources (a stage's own, or a retried cell's from <paramref name="retried"/>).
    /// </summary>
    private List<JobArray> Arrange(IReadOnlyList<PlanEntry> cells, IReadOnlyDictionary<string, SlurmLease> inFlight, CellKeys keys, int first, IReadOnlyDictionary<string, SlurmResources> retried)
    {
        var size = maxTasks ?? slurm.MaxArraySize();
        var ofStage = cells.Select(e => e.Cell.Stage).Distinct().ToDictionary(s => s, resources.For, StringComparer.Ordinal);
        var arrays = new List<JobArray>();
        var taskOf = new Dictionary<string, UpstreamTask>(StringComparer.Ordinal);
        foreach (var entry in cells)
        {
            var upstream = entry.Cell.Upstream
                .Select(u => taskOf.GetValueOrDefault(u.Address.Text) ?? (inFlight.TryGetValue(keys.KeyOf(u), out var lease) ? new UpstreamTask(null, lease.JobId, lease.Index) : null))
                .OfType<UpstreamTask>()
                .Distinct()
                .OrderBy(t => t.Array?.Number ?? -1).ThenBy(t => t.AdoptedJob, StringComparer.Ordinal).ThenBy(t => t.Index)
                .ToList();
            var wanted = retried.GetValueOrDefault(entry.Key) ?? ofStage[entry.Cell.Stage];
            var array = arrays.FirstOrDefault(a => a.Stage == entry.Cell.Stage && ReferenceEquals(a.Resources, wanted) && a.Upstream.SequenceEqual(upstream) && a.Cells.Count < size);
            if (array is null)
            {
                array = new JobArray(first + arrays.Count, entry.Cell.Stage, wanted, upstream);
                arrays.Add(array);
            }

            taskOf[entry.Cell.Address.Text] = new UpstreamTask(array, null, array.Cells.Count);
            array.Cells.Add(entry);
        }

        return arrays;
    }

    /// <summary>The sbatch settings a retry changed, as sbatch options (empty when none).</summary>
    private static string Changes(SlurmResources before, SlurmResources after) => string.Join(' ', new[]
    {
        after.Time != before.Time ? $"--time={after.Time}" : null,
        after.Memory != before.Memory ? $"--mem={after.Memory}" : null,
    }.OfType<string>());

    /// <summary>
    /// <c>afterok:</c> and the jobs <paramref name="array"/> waits for: an upstream array's id when it needs every task
    /// of it, else <c>id_index</c> per task (always for another submission's tasks).
    /// </summary>
    private static string Dependency(JobArray array) => "afterok:" + string.Join(":", array.Upstream
        .GroupBy(t => (t.Array, t.AdoptedJob))
        .SelectMany(g => g.Key.Array is { } upstream && g.Count() == upstream.Cells.Count
            ? [upstream.JobId!]
            : g.Select(t => $"{t.Array?.JobId ?? t.AdoptedJob}_{t.Index}")));

    private static string LogOf(string folder, JobArray array, int index) => Path.Combine(folder, "logs", $"{array.Name}_{index}.out");

    private string WriteScript(string folder, JobArray array, CellKeys keysOfPlan)
    {
        var keys = Path.Combine(folder, array.Name + ".keys");
        File.WriteAllLines(keys, array.Cells.Select(c => c.Status == CellStatus.Forced ? c.Key + " --force" : c.Key));
        foreach (var cell in array.Cells)
        {
            cache.WriteSpec(CellSpec.Of(cell.Cell, keysOfPlan));
        }

        var stage = array.Resources;
        // The cell computes with as many threads as its task has CPUs.
        var threads = (stage.Cpus ?? settings.Threads).ToString(CultureInfo.InvariantCulture);
        var options = new List<string>
        {
            $"--job-name=reproduce-{array.Stage}",
            $"--array=0-{array.Cells.Count - 1}{(stage.Throttle is { } throttle ? $"%{throttle}" : "")}",
            $"--output={Path.Combine(folder, "logs", array.Name)}_%a.out",
            $"--cpus-per-task={threads}",
        };
        options.AddRange(new[]
        {
            stage.Partition is { } partition ? $"--partition={partition}" : null,
            stage.Gpus is > 0 and var gpus ? $"--gres=gpu:{gpus}" : null,
            stage.Memory is { } memory ? $"--mem={memory}" : null,
            stage.Time is { } time ? $"--time={time}" : null,
        }.OfType<string>());
        options.AddRange(stage.Options);
        // Slurm requeues a task whose node failed or that was preempted; a resumable stage is also signalled two minutes
        // before its time limit, checkpoints, and requeues itself (below), so a long pre-training survives its limit.
        var resumable = stages.Descriptor(array.Stage).Resumable;
        options.Add("--requeue");
        if (resumable)
        {
            // A requeued task appends to its log, which then tells both starts apart.
            options.Add($"--signal=B:USR1@{WarningSeconds}");
            options.Add("--open-mode=append");
        }

        options.Add("--kill-on-invalid-dep=yes");
        if (array.Upstream.Count > 0)
        {
            options.Add($"--dependency={Dependency(array)}");
        }

        string[] runCell =
        [
            .. command.Arguments.Prepend(command.FileName).Select(Quote), "run-cell", "$line",
            "--cache", Quote(roots.Cache), "--data", Quote(roots.Data), "--results", Quote(roots.Results),
            "--threads", threads, "--checkpoint-every", settings.CheckpointEvery.ToString(CultureInfo.InvariantCulture),
        ];
        var script = new StringBuilder().AppendLine("#!/bin/bash");
        foreach (var option in options)
        {
            script.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH {option}");
        }

        script
            .AppendLine("set -eu")
            .AppendLine(CultureInfo.InvariantCulture, $"line=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" {Quote(keys)})");
        // $line is the key and, for a forced cell, --force: split on purpose.
        var run = string.Join(' ', runCell);
        if (!resumable)
        {
            script.AppendLine(CultureInfo.InvariantCulture, $"exec {run}");
        }
        else
        {
            // Slurm's B:USR1 goes to this shell alone: it is passed on to the cell, which checkpoints and exits with
            // 75; then the task goes back to the queue and its next start resumes from the checkpoint. bash runs a
            // trap only between commands, hence the cell in the background and wait, repeated while the cell lives;
            // the last wait gives the cell's exit status, which bash keeps for it.
            script
                .AppendLine("cell=")
                .AppendLine("trap 'if [ -n \"$cell\" ]; then kill -USR1 \"$cell\" 2>/dev/null || true; fi' USR1")
                .AppendLine(CultureInfo.InvariantCulture, $"{run} &")
                .AppendLine("cell=$!")
                .AppendLine("wait \"$cell\" || true")
                .AppendLine("while kill -0 \"$cell\" 2>/dev/null; do wait \"$cell\" || true; done")
                .AppendLine("status=0")
                .AppendLine("wait \"$cell\" || status=$?")
                .AppendLine(CultureInfo.InvariantCulture, $"if [ \"$status\" -eq {ExitCodes.Requeue} ]; then")
                .AppendLine("  echo \"requeueing task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} (job $SLURM_JOB_ID) to resume from its checkpoint\"")
                .AppendLine("  scontrol requeue \"$SLURM_JOB_ID\"")
                .AppendLine("  exit 0")
                .AppendLine("fi")
                .AppendLine("exit \"$status\"");
        }

        var path = Path.Combine(folder, array.Name + ".sh");
        File.WriteAllText(path, script.ToString());
        return path;
    }

    /// <summary>A word for bash, in single quotes.</summary>
    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private void Finish(Dictionary<string, CellOutcome> outcomes, CellOutcome outcome)
    {
        outcomes[outcome.Entry.Key] = outcome;
        observer.CellFinished(outcome);
    }

    /// <summary>A task an array waits for: task <see cref="Index"/> of an array of this submission, or of another submission's job.</summary>
    private sealed record UpstreamTask(JobArray? Array, string? AdoptedJob, int Index);

    /// <summary>One submitted array: its cells in task order, what its tasks ask for and the upstream tasks they wait for.</summary>
    private sealed class JobArray(int number, string stage, SlurmResources resources, IReadOnlyList<UpstreamTask> upstream)
    {
        public int Number { get; } = number;
        public string Stage { get; } = stage;
        public SlurmResources Resources { get; } = resources;
        public IReadOnlyList<UpstreamTask> Upstream { get; } = upstream;
        public List<PlanEntry> Cells { get; } = [];
        public string Name => $"{Number:00}-{Stage}";
        public string? JobId { get; set; }
    }
}

/// <summary>What a submission did: its run id, the jobs it submitted, and the task computing each cell of the plan to compute.</summary>
public sealed record SlurmSubmission(string Run, IReadOnlyList<string> JobIds, IReadOnlyDictionary<string, SlurmLease> Tasks);
