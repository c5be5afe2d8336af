using Reproduce.Evaluation.Rendering;

namespace Reproduce.Evaluation.Tests.Rendering;

public sealed class ResultsPublisherTests
{
    [Fact]
    public void PublishesIntoAResultsFolderThatDoesNotExistYet()
    {
        using var directory = new TempFolder();
        var rendered = Rendered(directory.Path, "new");
        var target = Path.Combine(directory.Path, "results", "sample");

        ResultsPublisher.Publish(rendered, target);

        Assert.Equal("new", File.ReadAllText(Path.Combine(target, "report.md")));
        Assert.Equal("new", File.ReadAllText(Path.Combine(target, "tables", "covid_auc.md")));
    }

    [Fact]
    public void TheCellsBookkeepingStaysInTheCache()
    {
        using var directory = new TempFolder();
        var rendered = Rendered(directory.Path, "new");
        File.WriteAllText(Path.Combine(rendered, "meta.json"), "{}");
        File.WriteAllText(Path.Combine(rendered, "spec.json"), "{}");
        var target = Path.Combine(directory.Path, "results", "sample");

        ResultsPublisher.Publish(rendered, target);

        Assert.True(File.Exists(Path.Combine(target, "report.md")));
        Assert.False(File.Exists(Path.Combine(target, "meta.json")));
        Assert.False(File.Exists(Path.Combine(target, "spec.json")));
    }

    [Fact]
    public void ReplacesTheExperimentAndLeavesItsNeighboursAlone()
    {
        using var directory = new TempFolder();
        var results = Path.Combine(directory.Path, "results");
        var target = Path.Combine(results, "sample");
        Directory.CreateDirectory(Path.Combine(target, "stale"));
        File.WriteAllText(Path.Combine(target, "report.md"), "old");
        Directory.CreateDirectory(Path.Combine(results, "baselines"));
        File.WriteAllText(Path.Combine(results, "baselines", "sample.json"), "{}");

        ResultsPublisher.Publish(Rendered(directory.Path, "new"), target);

        Assert.Equal("new", File.ReadAllText(Path.Combine(target, "report.md")));
        Assert.False(Directory.Exists(Path.Combine(target, "stale")));
        Assert.Equal("{}", File.ReadAllText(Path.Combine(results, "baselines", "sample.json")));
        Assert.Equal(["baselines", "sample"], Directory.EnumerateDirectories(results).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void AFailedPublishLeavesThePreviousResultsAsTheyWere()
    {
        using var directory = new TempFolder();
        var results = Path.Combine(directory.Path, "results");
        var target = Path.Combine(results, "sample");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "report.md"), "old");

        Assert.Throws<DirectoryNotFoundException>(
            () => ResultsPublisher.Publish(Path.Combine(directory.Path, "missing"), target));

        Assert.Equal("old", File.ReadAllText(Path.Combine(target, "report.md")));
        Assert.Equal(["sample"], Directory.EnumerateDirectories(results).Select(Path.GetFileName));
    }

    [Fact]
    public void ClearsWhatADeadPublishOfThisHostLeftBehindAndNothingOfALiveOne()
    {
        using var directory = new TempFolder();
        var results = Path.Combine(directory.Path, "results");
        var target = Path.Combine(results, "sample");
        // No process has the largest pid; this test's process is alive.
        var dead = $"{Environment.MachineName}.{int.MaxValue}.0123";
        var live = $"{Environment.MachineName}.{Environment.ProcessId}.4567";
        foreach (var leftover in new[] { $".sample.publishing.{dead}", $".sample.replaced.{dead}", $".sample.publishing.{live}", ".sample.publishing.elsewhere.1.89ab" })
        {
            Directory.CreateDirectory(Path.Combine(results, leftover));
            File.WriteAllText(Path.Combine(results, leftover, "report.md"), "partial");
        }

        ResultsPublisher.Publish(Rendered(directory.Path, "new"), target);

        Assert.Equal("new", File.ReadAllText(Path.Combine(target, "report.md")));
        Assert.Equal([".sample.publishing.elsewhere.1.89ab", $".sample.publishing.{live}", "sample"], Directory.EnumerateDirectories(results).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>Eight publishers of one experiment at once, ten times: none fails, and what stays is one of them whole.</summary>
    [Fact]
    public void PublishersOfOneExperimentAtOnceAllSucceedAndOneOfThemStaysWhole()
    {
        using var directory = new TempFolder();
        var results = Path.Combine(directory.Path, "results");
        var target = Path.Combine(results, "sample");
        var rendered = Enumerable.Range(0, 8).Select(i => Rendered(Path.Combine(directory.Path, $"run{i}"), $"run {i}")).ToList();
        for (var round = 0; round < 10; round++)
        {
            // Threads of their own, not the pool's: all eight must be at the barrier at once.
            using var start = new Barrier(rendered.Count);
            var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
            var publishers = rendered.Select(r => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    ResultsPublisher.Publish(r, target);
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                }
            })).ToList();
            publishers.ForEach(t => t.Start());
            publishers.ForEach(t => t.Join());

            Assert.Empty(failures);
            var report = File.ReadAllText(Path.Combine(target, "report.md"));
            Assert.StartsWith("run ", report, StringComparison.Ordinal);
            Assert.Equal(report, File.ReadAllText(Path.Combine(target, "tables", "covid_auc.md")));
            Assert.Equal(["sample"], Directory.EnumerateDirectories(results).Select(Path.GetFileName));
        }
    }

    private static string Rendered(string root, string content)
    {
        var rendered = Path.Combine(root, "rendered");
        Directory.CreateDirectory(Path.Combine(rendered, "tables"));
        File.WriteAllText(Path.Combine(rendered, "report.md"), content);
        File.WriteAllText(Path.Combine(rendered, "tables", "covid_auc.md"), content);
        return rendered;
    }
}
