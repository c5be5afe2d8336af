namespace Reproduce.Core.Execution.Slurm;

/// <summary>
/// The queue as one look at it shows it: each job asked of <c>squeue</c> once, however many of its tasks are looked up,
/// so every cell of one poll is judged on the same view of its job.
/// </summary>
internal sealed class QueueSnapshot(SlurmCommands slurm)
{
    /// <summary>States in which a task may still publish its cell.</summary>
    private static readonly HashSet<string> ActiveStates = new(StringComparer.Ordinal)
    {
        "PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING", "SIGNALING", "STAGE_OUT", "STOPPED",
    };

    private readonly Dictionary<string, IReadOnlyList<QueuedTask>> jobs = new(StringComparer.Ordinal);

    /// <summary>The task as <c>squeue</c> shows it, or null when it is not shown on its own (pending in its array's remainder, or gone).</summary>
    public QueuedTask? Task(string jobId, int index) => Of(jobId).FirstOrDefault(t => t.Index == index);

    /// <summary>Whether the task is queued, running or requeued: shown active on its own, or still in its array's pending remainder.</summary>
    public bool IsActive(string jobId, int index)
    {
        var tasks = Of(jobId);
        return tasks.FirstOrDefault(t => t.Index == index) is { } task
            ? ActiveStates.Contains(task.State)
            : tasks.Any(t => t.Index is null && ActiveStates.Contains(t.State));
    }

    /// <summary>Whether the task is shown on a node (running, or completing its run).</summary>
    public bool IsRunning(string jobId, int index) => Task(jobId, index) is { State: "RUNNING" or "COMPLETING" };

    private IReadOnlyList<QueuedTask> Of(string jobId)
    {
        if (!jobs.TryGetValue(jobId, out var tasks))
        {
            tasks = slurm.Queue(jobId);
            jobs[jobId] = tasks;
        }

        return tasks;
    }
}
