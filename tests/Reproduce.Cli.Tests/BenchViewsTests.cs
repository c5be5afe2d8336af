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
    public void AnUnknownMethodIsAUsageErrorNamingIt()
    {
        var result = CliProcess.Run(CliProcess.RepositoryRoot, new Dictionary<string, string?>(), "bench", "views", "--method", "simclr");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--method simclr: expected byol, mocov2, swav, spark or all", result.StandardError, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"synthetic store: .* in (\S+) \(deleted afterwards\)")]
    private static partial Regex StorePath();
}
