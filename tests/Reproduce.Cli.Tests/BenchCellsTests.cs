namespace Reproduce.Cli.Tests;

/// <summary><c>reproduce bench cells</c> refuses a count it cannot run, before computing anything.</summary>
public class BenchCellsTests
{
    [Theory]
    [InlineData("0", "--count 0: at least 1")]
    [InlineData("99", "--count 99: synthetic has 9 fine-tuning cells of task organsmnist and init scratch")]
    public void ACountItCannotRunIsAUsageErrorNamingIt(string count, string message)
    {
        // The bench makes its own temporary roots, so the environment needs nothing.
        var result = CliProcess.Run(CliProcess.RepositoryRoot, new Dictionary<string, string?>(), "bench", "cells", "--count", count);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", result.StandardError, StringComparison.Ordinal);
    }
}
