using Reproduce.Core.Execution;

namespace Reproduce.Cli.Tests;

/// <summary>
/// A verb that trains starts itself again on jemalloc where the host has it, and stays on glibc's malloc when asked to.
/// The process reports the malloc it finds serving it (jemalloc's <c>mallctl</c> in its global scope), so the preload
/// is seen to have taken, not only to have been asked for.
/// </summary>
public class NativeAllocatorTests
{
    private static readonly string[] TinyStep =
        ["bench", "pretrain", "--method", "byol", "--arch", "resnet18", "--size", "32", "--batch", "2", "--threads", "1", "--steps", "1", "--warmup", "0"];

    [JemallocFact]
    public void ATrainingVerbRunsOnJemallocWhereItIsInstalled()
    {
        var result = CliProcess.RunWithin(TimeSpan.FromMinutes(3), CliProcess.RepositoryRoot, new Dictionary<string, string?> { ["LD_PRELOAD"] = null, [NativeAllocator.Choice] = null }, TinyStep);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("on jemalloc's malloc", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("", result.StandardError);
    }

    [Fact]
    public void GlibcChosenKeepsGlibc()
    {
        var result = CliProcess.RunWithin(TimeSpan.FromMinutes(3), CliProcess.RepositoryRoot, new Dictionary<string, string?> { ["LD_PRELOAD"] = null, [NativeAllocator.Choice] = "glibc" }, TinyStep);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("on glibc's malloc", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void AChosenJemallocThatDoesNotExistIsNamedWithAnEnvironmentError()
    {
        var result = CliProcess.RunWithin(TimeSpan.FromMinutes(3), CliProcess.RepositoryRoot, new Dictionary<string, string?> { ["LD_PRELOAD"] = null, [NativeAllocator.Choice] = null, [NativeAllocator.LibraryPath] = "/nowhere/libjemalloc.so.2" }, TinyStep);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("REPRODUCE_JEMALLOC=/nowhere/libjemalloc.so.2: no such file", result.StandardError, StringComparison.Ordinal);
    }
}

/// <summary>
/// A test that needs jemalloc installed: skipped where none of <see cref="NativeAllocator.Candidates"/> exists, unless
/// REPRODUCE_REQUIRE_JEMALLOC=1 (set by .ci/run, which installs libjemalloc2), where the test then fails instead.
/// </summary>
public sealed class JemallocFactAttribute : FactAttribute
{
    public JemallocFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("REPRODUCE_REQUIRE_JEMALLOC") != "1" && !NativeAllocator.Candidates.Any(File.Exists))
        {
            Skip = "jemalloc is not installed (apt install libjemalloc2); .ci/run installs it and sets REPRODUCE_REQUIRE_JEMALLOC=1";
        }
    }
}
