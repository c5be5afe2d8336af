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
    public void ALostNodeOrAPreemptionIsRetriedAsItWas(string state)
    {
        Assert.Same(Plain, SlurmRetry.After(state, Plain, resumable: false));
    }

    [Fact]
    public void ATimeLimitIsRetriedWithTheLongerLimitOrAsItWasWhenTheStageResumes()
    {
        Assert.Equal(WithRetrySettings with { Time = "4:00:00" }, SlurmRetry.After("TIMEOUT", WithRetrySettings, resumable: false));
        Assert.Equal(Plain, SlurmRetry.After("TIMEOUT", Plain, resumable: true));
        Assert.Null(SlurmRetry.After("TIMEOUT", Plain, resumable: false));
    }

    [Fact]
    public void RunningOutOfMemoryIsRetriedOnlyWithMoreMemory()
    {
        Assert.Equal(WithRetrySettings with { Memory = "32G" }, SlurmRetry.After("OUT_OF_MEMORY", WithRetrySettings, resumable: true));
        Assert.Null(SlurmRetry.After("OUT_OF_MEMORY", Plain, resumable: true));
    }

    [Theory]
    [InlineData("FAILED")]
    [InlineData("CANCELLED")]
    [InlineData("COMPLETED")]
    [InlineData("DEADLINE")]
    public void AnEndARetryWouldRepeatIsNotRetried(string state)
    {
        Assert.Null(SlurmRetry.After(state, WithRetrySettings, resumable: true));
    }
}
