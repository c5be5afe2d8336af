using System.Runtime.Versioning;
using System.Text.RegularExpressions;

namespace Reproduce.Cli.Tests;

/// <summary><c>reproduce bench views</c> on a tiny synthetic store: what it prints, and that it cleans up after itself.</summary>
public partial class BenchViewsTests
{
    [Fact]
    public void ATinyRunPrintsEveryMethodsRatesCoresAndReferenceAndDeletesItsStore()
    {
        var result = CliProcess.Run(
            CliProcess.RepositoryRoot, new Dictionary<string, string?>(),
            "bench", "views", "--method", "all", "--images", "8", "--batch", "4", "--side", "48", "--size", "32", "--threads", "2", "--consumer-rate", "100");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var (method, recipe) in new[] { ("byol", "2×32"), ("mocov2", "2×32"), ("swav", "2×32 + 6×14"), ("spark", "1×32") })
        {
            Assert.Contains($"reproduce {method} ({recipe}) threads 2: ", result.StandardOutput, StringComparison.Ordinal);
            Assert.Contains($"reference: /usr/bin/python3 bench/views_torchvision.py --method {method} --size 32 --threads 2 --synthetic 8 --side 48", result.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Equal(4, Regex.Matches(result.StandardOutput, "needs [0-9]+ worker cores").Count);
        var store = StorePath().Match(result.StandardOutput);
        Assert.True(store.Success, result.ToString());
        Assert.False(Directory.Exists(store.Groups[1].Value));
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void AgainstTorchvisionTakesTurnsOnTheSameStoreAndPrintsTheRatio()
    {
        // A stand-in interpreter: this machine's CI has no torchvision. It prints a reference's rate line and records
        // its arguments, which must name the store this build reads; it lives long enough for its peak to be sampled.
        var folder = Directory.CreateTempSubdirectory("reproduce-views-").FullName;
        var arguments = Path.Combine(folder, "arguments");
        var python = Path.Combine(folder, "python");
        File.WriteAllText(python, $"#!/bin/sh\necho \"$@\" >> '{arguments}'\nsleep 0.3\necho 'torchvision: 50 views/s = 50 views/s per core'\n");
        File.SetUnixFileMode(python, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = CliProcess.Run(
            CliProcess.RepositoryRoot, new Dictionary<string, string?>(),
            "bench", "views", "--method", "spark", "--images", "8", "--batch", "4", "--side", "48", "--size", "32", "--against-torchvision", "--repeats", "2", "--python", python);

        Assert.True(result.ExitCode == 0, result.ToString());
        var store = StorePath().Match(result.StandardOutput).Groups[1].Value;
        Assert.Equal(
            [.. Enumerable.Repeat(new[] { "pil", "tensor" }, 2).SelectMany(paths => paths).Select(path => $"{Path.Combine(CliProcess.RepositoryRoot, "bench", "views_torchvision.py")} --method spark --size 32 --threads 1 --store {store} --path {path}")],
            File.ReadAllLines(arguments));
        Assert.Equal(2, Regex.Matches(result.StandardOutput, @"round [12] reproduce +[0-9]+ views/s").Count);
        Assert.Matches(@"reproduce / torchvision (pil|tensor): speed [0-9.]+× \([0-9.]+–[0-9.]+\), peak memory [0-9.]+× \([0-9.]+–[0-9.]+\) over 2 round\(s\)", result.StandardOutput);
        Assert.False(Directory.Exists(store));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void AgainstTorchvisionWithoutTheInterpreterIsAUsageErrorNamingIt()
    {
        var result = CliProcess.Run(
            CliProcess.RepositoryRoot, new Dictionary<string, string?>(),
            "bench", "views", "--method", "spark", "--images", "8", "--batch", "4", "--side", "48", "--size", "32", "--against-torchvision", "--python", "/nonexistent/python3");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--python: /nonexistent/python3 does not exist", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownMethodIsAUsageErrorNamingIt()
    {
        var result = CliProcess.Run(CliProcess.RepositoryRoot, new Dictionary<string, string?>(), "bench", "views", "--method", "simclr");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--method simclr: expected byol, mocov2, swav, spark or all", result.StandardError, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"synthetic store: .* in (\S+) \(deleted afterwards\)")]
    private static partial Regex StorePath();
}
