using Reproduce.Core.Manifests;

namespace Reproduce.Core.Execution.Slurm;

/// <summary>
/// Which ended tasks a resubmission can fix, and what the resubmitted task asks for. A node that failed or booted
/// badly, and a preemption Slurm did not requeue, say nothing about the cell: it is submitted as it was. A time limit is
/// worth retrying with a longer one (<c>time_on_retry</c>), or as it was for a stage that resumes from its checkpoint;
/// running out of memory only with more memory (<c>memory_on_retry</c>). Any other end (a failed exit, a cancellation,
/// a dependency never met) would fail again the same way.
/// </summary>
public static class SlurmRetry
{
    /// <summary>The resources of the task to submit after one of a stage with <paramref name="resources"/> ended <paramref name="state"/>, or null when a retry cannot help.</summary>
    public static SlurmResources? After(string state, SlurmResources resources, bool resumable) => state switch
    {
        "NODE_FAIL" or "BOOT_FAIL" or "PREEMPTED" => resources,
        "TIMEOUT" when resources.TimeOnRetry is { } time => resources with { Time = time },
        "TIMEOUT" when resumable => resources,
        "OUT_OF_MEMORY" when resources.MemoryOnRetry is { } memory => resources with { Memory = memory },
        _ => null,
    };
}
