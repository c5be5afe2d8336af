using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Learning.Methods;

namespace Reproduce.Cli.Tests;

/// <summary>The committed experiment manifests load with the real method catalog and expand to the expected cells.</summary>
public class ExperimentFilesTests
{
    [Theory]
    //          file                         download preprocess pretrain finetune aggregate render
    [InlineData("paper.yaml", 4, 4, 4, 375, 15, 750, 9, 1)]
    [InlineData("paper-official-split.yaml", 4, 4, 4, 75, 15, 150, 9, 1)]
    [InlineData("paper-kaggle-brain.yaml", 4, 4, 4, 375, 15, 750, 9, 1)]
    [InlineData("synthetic.yaml", 4, 4, 4, 135, 15, 270, 9, 1)]
    [InlineData("ci.yaml", 4, 4, 2, 36, 0, 0, 3, 1)]
    public void AnExperimentExpandsToItsCellCounts(string file, int download, int preprocess, int pretrain, int finetune, int features, int probe, int aggregate, int render)
    {
        var manifest = Load(file);

        var graph = ExperimentGraph.Build(manifest);

        Assert.Equal(Path.GetFileNameWithoutExtension(file), manifest.Experiment);
        Assert.Equal(
            [download, preprocess, pretrain, finetune, features, probe, aggregate, render],
            StageNames.All.Select(stage => graph.Cells.Count(c => c.Stage == stage)));
    }

    [Fact]
    public void DerivedExperimentsListTheirAncestorsNearestFirst()
    {
        Assert.Equal(["paper.yaml"], Load("paper.yaml").Files.Select(Path.GetFileName));
        Assert.Equal(["paper-official-split.yaml", "paper.yaml"], Load("paper-official-split.yaml").Files.Select(Path.GetFileName));
        Assert.Equal(["synthetic.yaml", "paper.yaml"], Load("synthetic.yaml").Files.Select(Path.GetFileName));
        Assert.Equal(["ci.yaml", "synthetic.yaml", "paper.yaml"], Load("ci.yaml").Files.Select(Path.GetFileName));
    }

    [Fact]
    public void PaperFollowsTheStudy()
    {
        var paper = Load("paper.yaml");

        Assert.Equal(42, paper.Seed);
        Assert.Equal("kfold", paper.Evaluation.Protocol);
        Assert.Equal(5, paper.Evaluation.Folds);
        Assert.Equal([1.0, 0.75, 0.5, 0.25, 0.1], paper.Evaluation.Fractions);
        Assert.Equal(["scratch", "byol", "mocov2", "swav", "spark"], paper.Finetune.Inits);
        Assert.Equal("resnet50", paper.Pretrain.Arch);
        Assert.Equal(0.07, paper.Pretrain.Methods["mocov2"].Real("temperature"));
        Assert.Equal(65536, paper.Pretrain.Methods["mocov2"].Integer("queue_size"));
        Assert.Equal("mlp", paper.Pretrain.Methods["mocov2"].Choice("head"));
        Assert.Equal(500, paper.Pretrain.Methods["swav"].Integer("prototypes"));
        Assert.Equal(0.6, paper.Pretrain.Methods["spark"].Real("mask_ratio"));
        Assert.Equal("adam", paper.Pretrain.Methods["byol"].Choice("optimizer"));
        Assert.Equal("${BRAIN_DATA}", paper.Datasets["brain"].Path!.Raw);
        Assert.Equal("disease-positive", paper.Tasks["covid"].LabelOrder);
        Assert.False(paper.Finetune.AuthorsLearningRateDrop);
        Assert.NotEmpty(paper.Deviations);
    }

    [Fact]
    public void PaperOfficialSplitSwitchesTheQuirksOn()
    {
        var official = Load("paper-official-split.yaml");

        Assert.Equal("official-split", official.Evaluation.Protocol);
        Assert.Equal(1, official.Evaluation.Folds);
        Assert.Equal("authors", official.Tasks["covid"].LabelOrder);
        Assert.Equal("first-n", official.Tasks["organsmnist"].Reduction);
        Assert.Equal("linear", official.Pretrain.Methods["mocov2"].Choice("head"));
        Assert.Equal("epochs", official.Pretrain.Methods["swav"].Choice("freeze_prototypes_unit"));
        Assert.Equal(100, official.Pretrain.Methods["byol"].Integer("schedule_epochs"));
        Assert.True(official.Finetune.AuthorsLearningRateDrop);
        // Inherited from paper.yaml.
        Assert.Equal(0.07, official.Pretrain.Methods["mocov2"].Real("temperature"));
        Assert.Equal(70, official.Finetune.Epochs);
    }

    /// <summary>A change of the phantoms re-keys synthetic data through the generator version, and never a real download.</summary>
    [Fact]
    public void OnlySyntheticDownloadCellsCarryTheGeneratorVersion()
    {
        static IEnumerable<System.Text.Json.Nodes.JsonObject> Downloads(string file) =>
            ExperimentGraph.Build(Load(file)).Cells.Where(c => c.Stage == StageNames.Download).Select(c => c.Parameters);

        Assert.All(Downloads("synthetic.yaml"), p => Assert.Equal(Identifiers.SyntheticGeneratorVersion, p["generator"]!.GetValue<int>()));
        Assert.All(Downloads("paper.yaml"), p => Assert.False(p.ContainsKey("generator")));
    }

    [Fact]
    public void SyntheticReplacesEverySourceAndClearsTheRealOnesKeys()
    {
        var synthetic = Load("synthetic.yaml");

        Assert.All(synthetic.Datasets.Values, d =>
        {
            Assert.True(d.IsSynthetic, d.Id);
            Assert.Null(d.Url);
            Assert.Null(d.Collection);
            Assert.Null(d.Version);
            Assert.Null(d.ImageSize);
            Assert.Null(d.Path);
            Assert.Equal(64, d.Preprocess.Size);
        });
        Assert.Equal("resnet18", synthetic.Pretrain.Arch);
        Assert.Equal(3, synthetic.Evaluation.Folds);
        Assert.Equal([1.0, 0.25, 0.1], synthetic.Evaluation.Fractions);
        Assert.Equal(256, synthetic.Pretrain.Methods["mocov2"].Integer("queue_size"));
        // Inherited from paper.yaml through the merge.
        Assert.Equal(0.07, synthetic.Pretrain.Methods["mocov2"].Real("temperature"));
    }

    [Fact]
    public void CiCutsTheSyntheticExperimentDown()
    {
        var ci = Load("ci.yaml");

        Assert.Equal(["scratch", "byol", "spark"], ci.Finetune.Inits);
        Assert.Equal(2, ci.Evaluation.Folds);
        Assert.Equal([1.0, 0.25], ci.Evaluation.Fractions);
        Assert.Equal(8, ci.Finetune.Epochs);
        // COVID and Brain as the quickstart has them: their download and preprocess cells are shared.
        Assert.Equal(Load("synthetic.yaml").Datasets["covid"], ci.Datasets["covid"]);
        Assert.Equal(Load("synthetic.yaml").Datasets["brain"], ci.Datasets["brain"]);
        Assert.Equal(2, ci.Pretrain.Methods["byol"].Integer("epochs"));
        // synthetic.yaml's settings below ci.yaml's own survive the merge.
        Assert.Equal(32, ci.Pretrain.Methods["byol"].Integer("batch_size"));
        Assert.Equal(new SyntheticSpec { Size = 64, Series = 5, SlicesPerSeries = 16 }, ci.Datasets["lidc"].Synthetic);
        Assert.Equal("resnet18", ci.Pretrain.Arch);
    }

    private static Manifest Load(string file) =>
        ManifestLoader.Load(Path.Combine(CliProcess.RepositoryRoot, "experiments", file), MethodRegistry.Catalog);
}
