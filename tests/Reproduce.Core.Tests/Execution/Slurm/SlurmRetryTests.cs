using Reproduce.Core.Execution.Slurm;
using Reproduce.Core.Manifests;

namespace Reproduce.Core.Tests.Execution.Slurm;

public sealed class SlurmRetryTests
{
    private static readonly SlurmResources Plain = new() { Memory = "8G", Time = "1:00:00" };
    private static readonly SlurmResources WithRetrySettings = Plain with { MemoryOnRetry = "32G", TimeOnRetry = "4:00:00" };

    [Theory]
    [InlineData("NODE_FAIL")]
    [InlineData("BOOT_FAIL")]
    [InlineData("PREEMPTED")]
    public void A_lost_node_or_a_preemption_is_retried_as_it_was(string state)
    {
        Assert.Same(Plain, SlurmRetry.After(state, Plain, resumable: false));
    }

    [Fact]
    public void A_time_limit_is_retried_with_the_longer_limit_or_as_it_was_when_the_stage_resumes()
    {
        Assert.Equal(WithRetrySettings with { Time = "4:00:00" }, SlurmRetry.After("TIMEOUT", WithRetrySettings, resumable: false));
        Assert.Equal(Plain, SlurmRetry.After("TIMEOUT", Plain, resumable: true));
        Assert.Null(SlurmRetry.After("TIMEOUT", Plain, resumable: false));
    }

    [Fact]
    public void Running_out_of_memory_is_retried_only_with_more_memory()
    {
        Assert.Equal(WithRetrySettings with { Memory = "32G" }, SlurmRetry.After("OUT_OF_MEMORY", WithRetrySettings, resumable: true));
        Assert.Null(SlurmRetry.After("OUT_OF_MEMORY", Plain, resumable: true));
    }

    [Theory]
    [InlineData("FAILED")]
    [InlineData("CANCELLED")]
    [InlineData("COMPLETED")]
    [InlineData("DEADLINE")]
    public void An_end_a_retry_would_repeat_is_not_retried(string state)
    {
        Assert.Null(SlurmRetry.After(state, WithRetrySettings, resumable: true));
    }
}
