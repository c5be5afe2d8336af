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
    public void The_cells_bookkeeping_stays_in_the_cache()
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
    public void ClearsWhatADeadPublishLeftBehind()
    {
        using var directory = new TempFolder();
        var results = Path.Combine(directory.Path, "results");
        var target = Path.Combine(results, "sample");
        Directory.CreateDirectory(Path.Combine(results, ".sample.publishing"));
        File.WriteAllText(Path.Combine(results, ".sample.publishing", "report.md"), "partial");
        Directory.CreateDirectory(Path.Combine(results, ".sample.replaced"));

        ResultsPublisher.Publish(Rendered(directory.Path, "new"), target);

        Assert.Equal("new", File.ReadAllText(Path.Combine(target, "report.md")));
        Assert.Equal(["sample"], Directory.EnumerateDirectories(results).Select(Path.GetFileName));
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
