using System.Text.RegularExpressions;

namespace Reproduce.Cli.Tests;

/// <summary>
/// The study's backbone trains on this host's CPU: a ResNet-50 training step through <c>reproduce bench pretrain</c>,
/// which first runs the convolution probe (<c>reproduce probe-kernels</c>) and, on a host where oneDNN's heuristic
/// kills it, trains on ATen's convolutions instead of dying of SIGFPE.
/// </summary>
public partial class ResNet50CpuStepTests
{
    [Theory]
    [InlineData("64")]
    [InlineData("224")]
    public void AResNet50TrainingStepRunsOnTheCpu(string size)
    {
        var result = CliProcess.RunWithin(
            TimeSpan.FromMinutes(5), CliProcess.RepositoryRoot, new Dictionary<string, string?>(),
            "bench", "pretrain", "--method", "byol", "--arch", "resnet50", "--size", size, "--batch", "2", "--threads", "2", "--steps", "1", "--warmup", "0");

        Assert.True(result.ExitCode == 0, result.ToString());
        var line = ImagesPerSecond().Match(result.StandardOutput);
        Assert.True(line.Success, result.ToString());
        Assert.True(double.Parse(line.Groups["rate"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, result.ToString());
        Assert.Contains($"byol resnet50 {size}px batch 2 threads 2", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void TheProbeOfAResNet18PassExitsCleanly()
    {
        // ResNet-18 has none of the five channel pairs that trip oneDNN's heuristic, so its probe exits 0 on every host.
        var result = Probe("resnet18");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public void TheProbeOfAResNet50PassExitsCleanlyOrDiesOfTheDivisionByZero()
    {
        var result = Probe("resnet50");

        // 0 here; 136 (SIGFPE) on a host whose oneDNN divides by zero, which the guard reads as its cue. Anything else
        // (an error exit, another signal) would make the guard stop the cell, and fails here.
        Assert.True(result.ExitCode is 0 or 128 + 8, result.ToString());
        Assert.Equal("", result.StandardOutput);
    }

    private static CliProcess.Result Probe(string arch) => CliProcess.RunWithin(
        TimeSpan.FromMinutes(5), CliProcess.RepositoryRoot, new Dictionary<string, string?>(),
        "probe-kernels", "--arch", arch, "--size", "64", "--batch", "2", "--threads", "1");

    [GeneratedRegex(@": (?<rate>[0-9.]+) images/s")]
    private static partial Regex ImagesPerSecond();
}
