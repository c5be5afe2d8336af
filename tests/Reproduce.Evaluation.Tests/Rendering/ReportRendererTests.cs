using Reproduce.Evaluation.Rendering;

namespace Reproduce.Evaluation.Tests.Rendering;

public sealed class ReportRendererTests
{
    [Fact]
    public void WritesTheFixedLayout()
    {
        using var directory = new TempFolder();

        ReportRenderer.Render(SampleRenderInput.Create(), directory.Path);

        var expected = new List<string> { "report.md", "report.html", "results.csv", "figures/panel.png", "figures/panel.svg", "figures/pretrain_loss.png", "figures/pretrain_loss.svg" };
        foreach (var name in new[] { "covid_auc", "covid_f1", "organsmnist_auc", "organsmnist_f1" })
        {
            expected.AddRange([$"tables/{name}.md", $"tables/{name}.csv", $"tables/{name}.tex", $"figures/{name}.png", $"figures/{name}.svg"]);
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), Files(directory.Path).Keys);
        Assert.Equal(
            TableWriters.Markdown(MetricTable.From(SampleRenderInput.Create(), "covid", "auc")),
            File.ReadAllText(Path.Combine(directory.Path, "tables", "covid_auc.md")));
    }

    [Fact]
    public void RendersTheSameBytesTwice()
    {
        using var first = new TempFolder();
        using var second = new TempFolder();

        ReportRenderer.Render(SampleRenderInput.Create(), first.Path);
        ReportRenderer.Render(SampleRenderInput.Create(), second.Path);

        var firstFiles = Files(first.Path);
        var secondFiles = Files(second.Path);
        Assert.Equal(firstFiles.Keys, secondFiles.Keys);
        foreach (var (name, bytes) in firstFiles)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(secondFiles[name]), $"{name} differs between two renders.");
        }
    }

    [Fact]
    public void AnExperimentWithoutPretrainingHasNoLossFigure()
    {
        using var directory = new TempFolder();

        ReportRenderer.Render(SampleRenderInput.Create() with { PretrainLosses = [] }, directory.Path);

        Assert.DoesNotContain(Files(directory.Path).Keys, name => name.Contains("pretrain_loss", StringComparison.Ordinal));
        Assert.Contains("No pre-training: every init is scratch.", File.ReadAllText(Path.Combine(directory.Path, "report.html")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../covid")]
    [InlineData("")]
    public void RejectsATaskThatCannotNameAFile(string task)
    {
        using var directory = new TempFolder();

        Assert.Throws<ArgumentException>(
            () => ReportRenderer.Render(SampleRenderInput.Create() with { Tasks = [task] }, directory.Path));
    }

    private static SortedDictionary<string, byte[]> Files(string root) => new(
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(path => Path.GetRelativePath(root, path).Replace('\\', '/'), File.ReadAllBytes),
        StringComparer.Ordinal);
}
