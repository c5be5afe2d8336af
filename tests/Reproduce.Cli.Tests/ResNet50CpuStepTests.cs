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
    public void TheProbeOfAResNet50PassSurvivesOnThisHostOrDiesOfASignal()
    {
        var result = CliProcess.RunWithin(
            TimeSpan.FromMinutes(5), CliProcess.RepositoryRoot, new Dictionary<string, string?>(),
            "probe-kernels", "--arch", "resnet50", "--size", "64", "--batch", "2", "--threads", "1");

        // 0 here; on a host whose oneDNN divides by zero, 136 (SIGFPE), which the guard reads as its cue.
        Assert.True(result.ExitCode is 0 or > 128, result.ToString());
        Assert.Equal("", result.StandardOutput);
    }

    [GeneratedRegex(@": (?<rate>[0-9.]+) images/s")]
    private static partial Regex ImagesPerSecond();
}
