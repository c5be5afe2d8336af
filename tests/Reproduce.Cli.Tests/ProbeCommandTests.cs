using System.Text.Json.Nodes;
using Reproduce.Evaluation.Aggregation;
using Reproduce.Learning.Checkpoints;
using Reproduce.Learning.Probing;

namespace Reproduce.Cli.Tests;

/// <summary>The probe protocols (<c>evaluation.protocols</c>) through the real CLI: features once, then a probe per protocol, fold and fraction, aggregated per protocol.</summary>
public sealed class ProbeCommandTests : IDisposable
{
    private readonly string temp = Path.Combine(Path.GetTempPath(), "reproduce-tests", Guid.NewGuid().ToString("N"));

    public ProbeCommandTests()
    {
        Directory.CreateDirectory(temp);
    }

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void FeaturesAreComputedOnceAndEveryProbeAndItsAggregateReadsThem()
    {
        var manifest = Path.Combine(temp, "probes.yaml");
        var ci = Path.Combine(CliProcess.RepositoryRoot, "experiments", "ci.yaml");
        File.WriteAllText(manifest, $"extends: {ci}\nexperiment: probes\nfinetune:\n  inits: [scratch]\nevaluation:\n  protocols: [finetune, linear_probe, knn]\n  knn: {{neighbours: 7}}\n");

        var result = Reproduce("run", "--manifest", manifest, "--only", "features,probe,aggregate", "--task", "brain", "--protocol", "linear_probe,knn");

        Assert.True(result.ExitCode == 0, result.ToString());
        var cache = Path.Combine(temp, "cache");
        var features = Assert.Single(Directory.GetFiles(Path.Combine(cache, "features"), FeaturesStage.FeaturesFile, SearchOption.AllDirectories));
        var (tensors, metadata) = SafeTensors.Read(features);
        using var matrix = tensors[FeaturesStage.FeaturesTensor];
        // The synthetic Brain store: 100 training and 40 test images; a ResNet-18 trunk pools 512 features.
        Assert.Equal([140L, 512L], matrix.shape);
        Assert.Equal("scratch", metadata["init"]);

        // 2 protocols × 2 folds × 2 fractions, each with predictions, metrics and what it chose.
        var probes = Directory.GetFiles(Path.Combine(cache, "probe"), ProbeStage.ProbeFile, SearchOption.AllDirectories);
        Assert.Equal(8, probes.Length);
        var chosen = probes.Select(p => JsonNode.Parse(File.ReadAllText(p))!).ToList();
        Assert.Equal(4, chosen.Count(p => (string?)p["protocol"] == "knn" && (int?)p["neighbours"] == 7));
        Assert.All(chosen.Where(p => (string?)p["protocol"] == "linear_probe"), p => Assert.Equal(7, p["candidates"]!.AsArray().Count));
        foreach (var probe in probes)
        {
            var metrics = CellResultJson.Read(Path.Combine(Path.GetDirectoryName(probe)!, CellResultJson.FileName));
            Assert.Equal(("brain", "scratch", 2), (metrics.Task, metrics.Init, metrics.Classes));
            Assert.Equal(40, File.ReadAllLines(Path.Combine(Path.GetDirectoryName(probe)!, "predictions.csv")).Length - 1);
        }

        var summaries = Directory.GetFiles(Path.Combine(cache, "aggregate"), AggregateFiles.SummaryFileName, SearchOption.AllDirectories);
        Assert.Equal(2, summaries.Length);
        Assert.All(summaries, s => Assert.Contains(AggregateFiles.ReadSummary(s), r => r is { Init: "scratch", Metric: "auc", N: 2 }));
    }

    private CliProcess.Result Reproduce(params string[] arguments) =>
        CliProcess.RunWithin(TimeSpan.FromMinutes(3), temp, new Dictionary<string, string?> { ["REPRODUCE_CACHE"] = Path.Combine(temp, "cache") }, arguments);
}
