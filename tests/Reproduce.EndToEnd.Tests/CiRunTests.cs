using Reproduce.Cli.Tests;

namespace Reproduce.EndToEnd.Tests;

/// <summary>
/// <c>reproduce run</c> on experiments/ci.yaml, every stage from the synthetic download to the rendered report,
/// from the repository root with its own cache, data and results roots.
/// </summary>
public sealed class CiRunTests : IDisposable
{
    private static readonly TimeSpan WholeRun = TimeSpan.FromMinutes(10);

    private readonly string root = Path.Combine(Path.GetTempPath(), "reproduce-e2e-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS temp cleaner gets what is left.
        }
    }

    [Fact]
    public void The_whole_ci_experiment_renders_its_report_and_a_rerun_computes_nothing_but_restores_the_results()
    {
        var environment = new Dictionary<string, string?>
        {
            ["REPRODUCE_CACHE"] = Path.Combine(root, "cache"),
            ["REPRODUCE_DATA"] = Path.Combine(root, "data"),
            ["REPRODUCE_RESULTS"] = Path.Combine(root, "results"),
        };
        var results = Path.Combine(root, "results", "ci");

        var first = CliProcess.RunWithin(WholeRun, CliProcess.RepositoryRoot, environment, "run", "--manifest", "experiments/ci.yaml");

        Assert.True(first.ExitCode == 0, first.ToString());
        var report = File.ReadAllText(Path.Combine(results, "report.md"));
        Assert.Contains("## Claims", report, StringComparison.Ordinal);
        foreach (var task in new[] { "covid", "organsmnist", "brain" })
        {
            foreach (var metric in new[] { "auc", "f1", "accuracy" })
            {
                Assert.True(File.Exists(Path.Combine(results, "figures", $"{task}_{metric}.png")), $"{task}_{metric}.png");
                Assert.True(File.Exists(Path.Combine(results, "tables", $"{task}_{metric}.md")), $"{task}_{metric}.md");
            }
        }

        Assert.False(File.Exists(Path.Combine(results, "meta.json")));

        Directory.Delete(results, recursive: true);
        var second = CliProcess.RunWithin(WholeRun, CliProcess.RepositoryRoot, environment, "run", "--manifest", "experiments/ci.yaml");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("nothing to do", second.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(report, File.ReadAllText(Path.Combine(results, "report.md")));
    }
}
