using System.Text.Json.Nodes;
using Reproduce.Core.Cells;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;

namespace Reproduce.Core.Tests.Manifests;

/// <summary><see cref="ExperimentGraph.Build"/> expands a manifest into the cells of DESIGN.md §1.</summary>
public class ExperimentGraphTests : IDisposable
{
    private readonly ManifestFolder folder = new();
    private readonly string brainFolder;

    public ExperimentGraphTests()
    {
        brainFolder = Path.Combine(folder.Root, "brain-data");
        WriteBrainFolder(brainFolder);
        folder.Write("paper-like.yaml", SampleManifests.PaperLike(brainFolder));
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void APaperLikeManifestHasTheStudysCellCounts()
    {
        var graph = Build(folder.Load(Path.Combine(folder.Root, "paper-like.yaml")));

        Assert.Equal([4, 4, 4, 375, 0, 0, 3, 1], CountsPerStage(graph));
        Assert.Equal(391, graph.Cells.Count);
    }

    [Fact]
    public void FoldsAndFractionsMultiplyTheFinetuneCells()
    {
        var graph = Build(LoadChild("evaluation:\n  folds: 2\n  fractions: [1.0, 0.5]\n"));

        Assert.Equal([4, 4, 4, 60, 0, 0, 3, 1], CountsPerStage(graph));
        Assert.Equal(["0", "1"], Coordinates(graph, StageNames.Finetune, "fold"));
        Assert.Equal(["0.5", "1.0"], Coordinates(graph, StageNames.Finetune, "fraction"));
    }

    [Fact]
    public void ScratchOnlyNeedsNoPretrainingAndNoLidc()
    {
        var graph = Build(LoadChild("finetune:\n  inits: [scratch]\n"));

        Assert.Equal([3, 3, 0, 75, 0, 0, 3, 1], CountsPerStage(graph));
        Assert.DoesNotContain(graph.Cells, c => c.Address["dataset"] == "lidc");
        Assert.Equal(["brain", "covid", "organsmnist"], Coordinates(graph, StageNames.Download, "dataset"));
    }

    [Fact]
    public void OnlyTheMethodsNamedAsInitsArePretrained()
    {
        var graph = Build(LoadChild("finetune:\n  inits: [scratch, spark]\n"));

        Assert.Equal(["spark"], Coordinates(graph, StageNames.Pretrain, "method"));
        Assert.Equal([4, 4, 1, 150, 0, 0, 3, 1], CountsPerStage(graph));
    }

    [Fact]
    public void TheOfficialSplitHasOneFold()
    {
        var manifest = LoadChild("evaluation:\n  protocol: official-split\n  folds: 1\n");
        var graph = Build(manifest);

        Assert.Equal(1, manifest.Evaluation.Folds);
        Assert.Equal([4, 4, 4, 75, 0, 0, 3, 1], CountsPerStage(graph));
        Assert.Equal(["0"], Coordinates(graph, StageNames.Finetune, "fold"));
    }

    [Fact]
    public void AFinetuneCellNeedsItsTasksPreprocessAndItsInitsPretrain()
    {
        var graph = Build(folder.Load(Path.Combine(folder.Root, "paper-like.yaml")));

        var byol = Find(graph, new CellAddress(StageNames.Finetune, ("task", "covid"), ("init", "byol"), ("fold", "2"), ("fraction", "0.25")));
        Assert.Equal(["preprocess[dataset=covid]", "pretrain[method=byol]"], Upstream(byol));

        var scratch = Find(graph, new CellAddress(StageNames.Finetune, ("task", "brain"), ("init", "scratch"), ("fold", "0"), ("fraction", "1.0")));
        Assert.Equal(["preprocess[dataset=brain]"], Upstream(scratch));

        Assert.Equal(["preprocess[dataset=lidc]"], Upstream(Find(graph, new CellAddress(StageNames.Pretrain, ("method", "swav")))));
        Assert.Equal(["download[dataset=organsmnist]"], Upstream(Find(graph, new CellAddress(StageNames.Preprocess, ("dataset", "organsmnist")))));
        Assert.Empty(Find(graph, new CellAddress(StageNames.Download, ("dataset", "covid"))).Upstream);

        var aggregate = Find(graph, new CellAddress(StageNames.Aggregate, ("task", "covid")));
        Assert.Equal(125, aggregate.Upstream.Count);
        Assert.All(aggregate.Upstream, c => Assert.Equal(("finetune", "covid"), (c.Stage, c.Address["task"])));

        var render = Find(graph, new CellAddress(StageNames.Render));
        Assert.Equal(
            ["aggregate[task=brain]", "aggregate[task=covid]", "aggregate[task=organsmnist]", "pretrain[method=byol]", "pretrain[method=mocov2]", "pretrain[method=spark]", "pretrain[method=swav]"],
            Upstream(render));
    }

    [Fact]
    public void AFinetuneCellsParametersHoldItsCoordinatesAndSettings()
    {
        var graph = Build(folder.Load(Path.Combine(folder.Root, "paper-like.yaml")));

        var cell = Find(graph, new CellAddress(StageNames.Finetune, ("task", "covid"), ("init", "spark"), ("fold", "4"), ("fraction", "0.1")));
        var parameters = cell.Parameters;

        Assert.Equal("spark", (string?)parameters["init"]);
        Assert.Equal(4, (int?)parameters["fold"]);
        Assert.Equal(0.1, (double?)parameters["fraction"]);
        Assert.Equal("covid", (string?)parameters["task"]?["id"]);
        Assert.Equal(70, (int?)parameters["finetune"]?["epochs"]);
        Assert.Null(parameters["finetune"]?["inits"]);
    }

    // Keys of manifests that leave a setting at its default stay what they were before the setting existed.
    [Theory]
    [InlineData("views_on_device", "true", "false", "true")]
    [InlineData("memory_format", "channels_last", "contiguous", "\"channels_last\"")]
    public void AnOptionalPretrainSettingEntersTheParametersOnlyWhenSet(string setting, string value, string defaultValue, string expectedJson)
    {
        var address = new CellAddress(StageNames.Pretrain, ("method", "byol"));
        var unset = Find(Build(folder.Load(Path.Combine(folder.Root, "paper-like.yaml"))), address).Parameters;
        var set = Find(Build(LoadChild($"pretrain:\n  {setting}: {value}\n")), address).Parameters;
        var byDefault = Find(Build(LoadChild($"pretrain:\n  {setting}: {defaultValue}\n")), address).Parameters;

        Assert.False(unset.ContainsKey(setting));
        Assert.Equal(expectedJson, set[setting]?.ToJsonString());
        Assert.True(JsonNode.DeepEquals(unset, byDefault));
    }

    [Fact]
    public void NoAbsolutePathEntersAnyCell()
    {
        var graph = Build(folder.Load(Path.Combine(folder.Root, "paper-like.yaml")));

        Assert.All(graph.Cells, cell =>
        {
            Assert.DoesNotContain(folder.Root, cell.ParametersJson);
            Assert.DoesNotContain(folder.Root, cell.InputsJson);
            Assert.DoesNotContain(Path.GetTempPath(), cell.ParametersJson);
            Assert.DoesNotContain(Path.GetTempPath(), cell.InputsJson);
        });

        // The local Brain folder is identified by a fingerprint of its contents instead.
        var inputs = JsonNode.Parse(Find(graph, new CellAddress(StageNames.Download, ("dataset", "brain"))).InputsJson)!;
        Assert.Equal("local", (string?)inputs["source"]);
        Assert.Matches("^[0-9a-f]{64}$", (string?)inputs["fingerprint"]);
    }

    [Fact]
    public void TheBrainFingerprintDependsOnTheFolderContentsNotOnItsLocation()
    {
        var copy = Path.Combine(folder.Root, "elsewhere", "brain-copy");
        WriteBrainFolder(copy);
        var moved = folder.Write("moved.yaml", SampleManifests.PaperLike(copy));
        var original = BrainInputs(Path.Combine(folder.Root, "paper-like.yaml"));

        Assert.Equal(original, BrainInputs(moved));

        File.WriteAllText(Path.Combine(copy, "train", "b_with", "extra.png"), "x");
        Assert.NotEqual(original, BrainInputs(moved));
    }

    [Fact]
    public void AFileInitIsKeyedByItsFilesContentAndNeedsNoPretraining()
    {
        var weights = Path.Combine(folder.Root, "weights", "resnet50.pth");
        Directory.CreateDirectory(Path.GetDirectoryName(weights)!);
        File.WriteAllBytes(weights, [1, 2, 3]);
        var graph = Build(LoadChild($"finetune:\n  inits: [scratch, {{imagenet: {{file: '{weights}', prefix_map: {{'module.': ''}}}}}}]\n"));

        Assert.Equal([3, 3, 0, 150, 0, 0, 3, 1], CountsPerStage(graph));
        var cell = Find(graph, new CellAddress(StageNames.Finetune, ("task", "covid"), ("init", "imagenet"), ("fold", "0"), ("fraction", "1.0")));
        Assert.Equal([new CellAddress(StageNames.Preprocess, ("dataset", "covid"))], cell.Upstream.Select(u => u.Address));
        var identity = JsonNode.Parse(cell.ParametersJson)![ExperimentGraph.InitFileParameter]!;
        // sha256sum of the bytes 01 02 03.
        Assert.Equal("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", (string?)identity["sha256"]);
        Assert.Equal("[[\"module.\",\"\"]]", identity["prefix_map"]!.ToJsonString());
        Assert.DoesNotContain(folder.Root, cell.ParametersJson);
        Assert.Contains(weights, cell.LocationsJson);
        var scratch = Find(graph, new CellAddress(StageNames.Finetune, ("task", "covid"), ("init", "scratch"), ("fold", "0"), ("fraction", "1.0")));
        Assert.DoesNotContain(ExperimentGraph.InitFileParameter, scratch.ParametersJson);
    }

    [Fact]
    public void EditingAFileInitsWeightsChangesItsCellsParametersAndMovingThemDoesNot()
    {
        var first = Path.Combine(folder.Root, "a", "w.pt");
        var second = Path.Combine(folder.Root, "b", "w.pt");
        Directory.CreateDirectory(Path.GetDirectoryName(first)!);
        Directory.CreateDirectory(Path.GetDirectoryName(second)!);
        File.WriteAllBytes(first, [7, 7, 7]);
        File.Copy(first, second);

        var original = FileInitParameters(first);
        Assert.Equal(original, FileInitParameters(second));
        File.WriteAllBytes(second, [7, 7, 8]);
        Assert.NotEqual(original, FileInitParameters(second));
    }

    [Fact]
    public void AnOptionalFileInitWithAnUnsetVariableIsLeftOutAndSaidSo()
    {
        var manifest = LoadChild("finetune:\n  inits: [scratch, spark, {imagenet: {file: '${REPRODUCE_TEST_UNSET_VARIABLE}/r50.pth', optional: true}}]\n");

        Assert.Equal(["scratch", "spark"], manifest.Finetune.Inits);
        var notice = Assert.Single(manifest.Finetune.LeftOutInits);
        Assert.Contains("init 'imagenet' (optional) is left out", notice);
        Assert.Contains("REPRODUCE_TEST_UNSET_VARIABLE", notice);
        Assert.DoesNotContain(Build(manifest).Cells, c => c.Address.Coordinates.Any(x => x.Value == "imagenet"));
    }

    [Fact]
    public void AFileInitWhoseFileIsMissingIsPlannedAndNamedWhenItRuns()
    {
        var graph = Build(LoadChild($"finetune:\n  inits: [scratch, {{imagenet: {{file: '{Path.Combine(folder.Root, "none.pth")}'}}}}]\n"));

        var cell = Find(graph, new CellAddress(StageNames.Finetune, ("task", "brain"), ("init", "imagenet"), ("fold", "0"), ("fraction", "1.0")));
        Assert.Equal("absent", (string?)JsonNode.Parse(cell.ParametersJson)![ExperimentGraph.InitFileParameter]!["sha256"]);
    }

    [Fact]
    public void ProbeProtocolsAddFeaturesOncePerTaskAndInitAndAProbeAndAggregatePerProtocol()
    {
        var graph = Build(LoadChild("evaluation:\n  protocols: [finetune, linear_probe, knn]\n"));

        // 3 tasks × 5 inits features; × 2 protocols × 5 folds × 5 fractions probes; 3 + 3 × 2 aggregates.
        Assert.Equal([4, 4, 4, 375, 15, 750, 9, 1], CountsPerStage(graph));
        var features = Find(graph, new CellAddress(StageNames.Features, ("task", "covid"), ("init", "byol")));
        Assert.Equal(
            [new CellAddress(StageNames.Preprocess, ("dataset", "covid")), new CellAddress(StageNames.Pretrain, ("method", "byol"))],
            features.Upstream.Select(u => u.Address));
        Assert.Equal([new CellAddress(StageNames.Preprocess, ("dataset", "covid"))], Find(graph, new CellAddress(StageNames.Features, ("task", "covid"), ("init", "scratch"))).Upstream.Select(u => u.Address));
        var probe = Find(graph, new CellAddress(StageNames.Probe, ("task", "covid"), ("init", "byol"), ("protocol", "knn"), ("fold", "2"), ("fraction", "0.25")));
        Assert.Equal([StageNames.Preprocess, StageNames.Features], probe.Upstream.Select(u => u.Stage));
        var parameters = JsonNode.Parse(probe.ParametersJson)!;
        Assert.Equal(20, (int?)parameters["neighbours"]);
        Assert.Equal(0.07, (double?)parameters["temperature"]);
        Assert.Equal("kfold", (string?)parameters["split"]);
        var aggregate = Find(graph, new CellAddress(StageNames.Aggregate, ("task", "covid"), ("protocol", "linear_probe")));
        Assert.Equal(125, aggregate.Upstream.Count);
        Assert.All(aggregate.Upstream, u => Assert.Equal(("probe", "linear_probe"), (u.Stage, u.Address["protocol"])));
        var render = graph.Cells.Single(c => c.Stage == StageNames.Render);
        Assert.Equal(9, render.Upstream.Count(u => u.Stage == StageNames.Aggregate));
        Assert.Equal("{\"neighbours\":20,\"temperature\":0.07}", JsonNode.Parse(render.ParametersJson)!["knn"]!.ToJsonString());
    }

    [Fact]
    public void AddingProbesLeavesEveryFineTuningCellAsItWas()
    {
        var plain = Build(LoadChild("evaluation:\n  protocols: [finetune]\n"));
        var probed = Build(folder.Load(folder.Write("probed.yaml", "extends: paper-like.yaml\nevaluation:\n  protocols: [finetune, knn]\n  knn: {neighbours: 5}\n")));

        foreach (var cell in plain.Cells.Where(c => c.Stage != StageNames.Render))
        {
            var twin = Find(probed, cell.Address);
            Assert.Equal(cell.ParametersJson, twin.ParametersJson);
            Assert.Equal(cell.Upstream.Select(u => u.Address), twin.Upstream.Select(u => u.Address));
        }

        Assert.Equal(5, (int?)JsonNode.Parse(probed.Cells.First(c => c.Stage == StageNames.Probe).ParametersJson)!["neighbours"]);
        Assert.Null(JsonNode.Parse(plain.Cells.Single(c => c.Stage == StageNames.Render).ParametersJson)!["knn"]);
    }

    [Fact]
    public void FractionsAreFormattedWithAtLeastOneDecimal()
    {
        Assert.Equal("1.0", ExperimentGraph.FormatFraction(1));
        Assert.Equal("0.25", ExperimentGraph.FormatFraction(0.25));
        Assert.Equal("0.1", ExperimentGraph.FormatFraction(0.1));
    }

    private static CellGraph Build(Manifest manifest) => ExperimentGraph.Build(manifest);

    private string FileInitParameters(string weights) =>
        Find(Build(LoadChild($"finetune:\n  inits: [{{imagenet: {{file: '{weights}'}}}}]\n")), new CellAddress(StageNames.Finetune, ("task", "covid"), ("init", "imagenet"), ("fold", "1"), ("fraction", "0.5"))).ParametersJson;

    private Manifest LoadChild(string body) =>
        folder.Load(folder.Write("child.yaml", "extends: paper-like.yaml\n" + body));

    private string BrainInputs(string manifestPath) =>
        Find(Build(folder.Load(manifestPath)), new CellAddress(StageNames.Download, ("dataset", "brain"))).InputsJson;

    private static int[] CountsPerStage(CellGraph graph) =>
        StageNames.All.Select(stage => graph.Cells.Count(c => c.Stage == stage)).ToArray();

    private static string[] Coordinates(CellGraph graph, string stage, string dimension) =>
        graph.Cells.Where(c => c.Stage == stage).Select(c => c.Address[dimension]!).Distinct().Order(StringComparer.Ordinal).ToArray();

    private static Cell Find(CellGraph graph, CellAddress address) =>
        graph.Find(address) ?? throw new Xunit.Sdk.XunitException($"no cell {address} in the graph");

    private static string[] Upstream(Cell cell) =>
        cell.Upstream.Select(u => u.Address.Text).Order(StringComparer.Ordinal).ToArray();

    /// <summary>A tiny folder in the authors' Brain layout, with fixed modification times.</summary>
    private static void WriteBrainFolder(string root)
    {
        var stamp = new DateTime(2023, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        foreach (var (relative, content) in new[] { ("train/a_without/1.png", "one"), ("train/b_with/2.png", "two!"), ("test/a_without/3.png", "3") })
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            File.SetLastWriteTimeUtc(path, stamp);
        }
    }
}
