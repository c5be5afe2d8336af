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

        // Only covid has images-per-class estimates (organsmnist's are absent: no target), and they have no LaTeX table.
        expected.AddRange(["tables/covid_images_per_class.md", "tables/covid_images_per_class.csv", "figures/covid_images_per_class.png", "figures/covid_images_per_class.svg"]);

        Assert.Equal(expected.Order(StringComparer.Ordinal), Files(directory.Path).Keys);
        Assert.Equal(
            TableWriters.Markdown(MetricTable.From(SampleRenderInput.Create(), "covid", "auc")),
            File.ReadAllText(Path.Combine(directory.Path, "tables", "covid_auc.md")));
        Assert.Equal(
            [
                "task,metric,init,sizes,target,a,b,c,images,resamples,reached,median,ci_low,ci_high",
                "covid,auc,scratch,3,0.8123,0.86,0.9,0.7,41.78,1000,990,43.1,30.2,70.55",
                "covid,auc,byol,3,0.8123,0.88,0.5,0.8,10.9,1000,870,11.2,6.01,not reached",
                "covid,auc,spark,1,0.8123,,,,,0,0,,,",
                "covid,f1,scratch,3,0.7,0.69,0.1,0.5,not reached,1000,0,not reached,not reached,not reached",
            ],
            File.ReadAllLines(Path.Combine(directory.Path, "tables", "covid_images_per_class.csv")));
        Assert.Contains(
            "| AUC | byol | 3 | 0.812 | 0.880 | 0.5 | 0.800 | 10.9 | 11.2 [6.01, not reached] | 870 of 1000 |\n",
            File.ReadAllText(Path.Combine(directory.Path, "tables", "covid_images_per_class.md")),
            StringComparison.Ordinal);
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

    [Fact]
    public void ProbesAddTheirTablesAndFiguresPerProtocolAndTaskAndLeaveEveryOtherFileAsItWas()
    {
        using var withoutProbes = new TempFolder();
        using var withProbes = new TempFolder();
        var input = SampleRenderInput.WithProbes();

        ReportRenderer.Render(SampleRenderInput.Create(), withoutProbes.Path);
        ReportRenderer.Render(input, withProbes.Path);

        var before = Files(withoutProbes.Path);
        var after = Files(withProbes.Path);
        // The linear probe ran on both tasks, kNN on covid only: a table per metric of each task it has rows for.
        var expected = new List<string>();
        foreach (var name in new[] { "covid_auc_linear_probe", "covid_f1_linear_probe", "organsmnist_auc_linear_probe", "organsmnist_f1_linear_probe", "covid_auc_knn", "covid_f1_knn" })
        {
            expected.AddRange([$"tables/{name}.md", $"tables/{name}.csv", $"tables/{name}.tex", $"figures/{name}.png", $"figures/{name}.svg"]);
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), after.Keys.Except(before.Keys).Order(StringComparer.Ordinal));
        Assert.Empty(before.Keys.Except(after.Keys));
        foreach (var (name, bytes) in before.Where(file => file.Key is not ("report.md" or "report.html")))
        {
            Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} changed when probe results were added.");
        }

        Assert.Equal(
            "| Init | 100% | 25% |\n|---|---:|---:|\n| scratch | 0.611 ± 0.011 | n/a |\n| byol | **0.722 ± 0.022** | **0.703 ± 0.013** |\n| spark | n/a | n/a |\n",
            File.ReadAllText(Path.Combine(withProbes.Path, "tables", "covid_auc_linear_probe.md")));
        Assert.Equal(
            TableWriters.Csv(MetricTable.From(input, input.Probes[1], "covid", "auc")),
            File.ReadAllText(Path.Combine(withProbes.Path, "tables", "covid_auc_knn.csv")));
        var latex = File.ReadAllText(Path.Combine(withProbes.Path, "tables", "covid_auc_knn.tex"));
        Assert.Contains("\\caption{covid: AUC, kNN, mean", latex, StringComparison.Ordinal);
        Assert.Contains("\\label{tab:covid-auc-knn}", latex, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../knn")]
    [InlineData("")]
    public void RejectsAProtocolThatCannotNameAFile(string protocol)
    {
        using var directory = new TempFolder();
        var input = SampleRenderInput.WithProbes();

        Assert.Throws<ArgumentException>(
            () => ReportRenderer.Render(input with { Probes = [input.Probes[0] with { Protocol = protocol }] }, directory.Path));
    }

    [Fact]
    public void RejectsProbeResultsOfATaskTheExperimentDoesNotList()
    {
        using var directory = new TempFolder();
        var input = SampleRenderInput.WithProbes() with { Tasks = ["covid"] };

        var error = Assert.Throws<ArgumentException>(() => ReportRenderer.Render(input, directory.Path));

        Assert.Contains("'organsmnist'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsTwoResultsOfOneProtocol()
    {
        using var directory = new TempFolder();
        var input = SampleRenderInput.WithProbes();

        var error = Assert.Throws<ArgumentException>(
            () => ReportRenderer.Render(input with { Probes = [input.Probes[1], input.Probes[1]] }, directory.Path));

        Assert.Contains("knn", error.Message, StringComparison.Ordinal);
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
