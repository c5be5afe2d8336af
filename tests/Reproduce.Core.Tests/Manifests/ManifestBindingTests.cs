using Reproduce.Core.Manifests;

namespace Reproduce.Core.Tests.Manifests;

/// <summary><see cref="ManifestLoader.Load"/> turns a valid file into the expected records.</summary>
public class ManifestBindingTests : IDisposable
{
    private readonly ManifestFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void TopLevelSettingsAndFiles()
    {
        var path = folder.WriteBase();

        var manifest = folder.Load(path);

        Assert.Equal("base", manifest.Experiment);
        Assert.Equal("Base experiment", manifest.Title);
        Assert.Equal(7, manifest.Seed);
        Assert.Equal([path], manifest.Files);
        Assert.Equal(PathsSpec.None, manifest.Paths);
        Assert.Equal(["Synthetic data only.", "Tiny epochs."], manifest.Deviations);
    }

    [Fact]
    public void DatasetsBindPerSource()
    {
        var manifest = folder.Load(folder.WriteBase());

        Assert.Equal(["covid", "lidc"], manifest.Datasets.Keys.Order(StringComparer.Ordinal));

        var lidc = manifest.Datasets["lidc"];
        Assert.Equal("lidc", lidc.Id);
        Assert.Equal("synthetic", lidc.Source);
        Assert.True(lidc.IsSynthetic);
        Assert.Equal(new SyntheticSpec { Size = 64, Series = 2, SlicesPerSeries = 8 }, lidc.Synthetic);
        Assert.Equal(new PreprocessSpec { Recipe = "authors", Size = 64 }, lidc.Preprocess);
        Assert.Null(lidc.Url);
        Assert.Null(lidc.Path);

        var covid = manifest.Datasets["covid"];
        Assert.Equal("github", covid.Source);
        Assert.False(covid.IsSynthetic);
        Assert.Equal("https://example.org/covid-ct", covid.Url);
        Assert.Equal("main", covid.Version);
        Assert.Null(covid.Collection);
        Assert.Null(covid.ImageSize);
        Assert.Null(covid.Synthetic);
        Assert.Equal(new PreprocessSpec { Recipe = "gray", Size = 32 }, covid.Preprocess);
    }

    [Fact]
    public void TasksBindWithDefaults()
    {
        var manifest = folder.Load(folder.WriteBase());

        var task = Assert.Single(manifest.Tasks).Value;
        Assert.Equal("covid", task.Id);
        Assert.Equal("covid", task.Dataset);
        Assert.Equal(2, task.Classes);
        Assert.Equal(1, task.PositiveClass);
        Assert.Equal("disease-positive", task.LabelOrder);
        Assert.Equal("random", task.Reduction);
        Assert.Equal([0.5], task.Mean);
        Assert.Equal([0.25], task.Std);
        Assert.Equal("vertical", task.Flip);
    }

    [Fact]
    public void PretrainFillsMethodDefaultsFromTheDescriptorAndKeepsOverrides()
    {
        var manifest = folder.Load(folder.WriteBase());

        var pretrain = manifest.Pretrain;
        Assert.Equal("lidc", pretrain.Dataset);
        Assert.Equal("resnet18", pretrain.Arch);
        Assert.Equal(64, pretrain.ImageSize);
        Assert.Equal(500, pretrain.CheckpointEvery);
        Assert.Equal(["byol", "spark"], pretrain.Methods.Keys.Order(StringComparer.Ordinal));

        var byol = pretrain.Methods["byol"];
        Assert.Equal("byol", byol.Id);
        Assert.Equal(TestCatalog.Byol.Parameters.Select(p => p.Name).Order(StringComparer.Ordinal), byol.Parameters.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, byol.Integer("epochs"));
        Assert.Equal("adam", byol.Choice("optimizer"));
        Assert.Equal(0.2, byol.Real("learning_rate"));
        Assert.True(byol.Flag("symmetric"));
        Assert.Equal(0.996, byol.Real("tau_base"));

        var spark = pretrain.Methods["spark"];
        Assert.Equal(1600, spark.Integer("epochs"));
        Assert.Equal(0.6, spark.Real("mask_ratio"));
        Assert.Equal([0.9, 0.95], spark.Reals("betas"));
    }

    [Fact]
    public void MethodParametersOfEveryKindOverrideTheirDefaults()
    {
        var text = SampleManifests.Base
            .Replace("      optimizer: adam\n", "      optimizer: adam\n      symmetric: false\n      learning_rate: 0.5\n")
            .Replace("    spark: {}\n", """
                    spark: {epochs: 2, mask_ratio: 0.75, betas: [0.8, 0.99]}
                    swav: {prototypes: 10, crops: [2, 4]}
                    mocov2:

                """);
        var path = folder.Write("methods.yaml", text);

        var methods = folder.Load(path).Pretrain.Methods;

        Assert.Equal(["byol", "mocov2", "spark", "swav"], methods.Keys.Order(StringComparer.Ordinal));
        Assert.False(methods["byol"].Flag("symmetric"));
        Assert.Equal(0.5, methods["byol"].Real("learning_rate"));
        Assert.Equal(2, methods["spark"].Integer("epochs"));
        Assert.Equal(0.75, methods["spark"].Real("mask_ratio"));
        Assert.Equal([0.8, 0.99], methods["spark"].Reals("betas"));
        Assert.Equal(10, methods["swav"].Integer("prototypes"));
        Assert.Equal([2L, 4L], methods["swav"].Integers("crops"));
        Assert.Equal(65536, methods["mocov2"].Integer("queue_size"));
        Assert.Equal(0.2, methods["mocov2"].Real("temperature"));
    }

    [Fact]
    public void FinetuneBindsWithDefaults()
    {
        var finetune = folder.Load(folder.WriteBase()).Finetune;

        Assert.Equal(new FinetuneSpec
        {
            Inits = finetune.Inits,
            InitFiles = finetune.InitFiles,
            LeftOutInits = finetune.LeftOutInits,
            Epochs = 4,
            BatchSize = 8,
            Optimizer = "adam",
            LearningRate = 1.0e-4,
            WeightDecay = 0.0,
            FreezeBackboneEpochs = 0,
            TrainBatchNormWhileFrozen = true,
            AuthorsLearningRateDrop = false,
            InputSize = 64,
        }, finetune);
        Assert.Equal(["scratch", "byol", "spark"], finetune.Inits);
        Assert.Empty(finetune.InitFiles);
        Assert.Empty(finetune.LeftOutInits);
    }

    [Fact]
    public void SlurmResourcesBindPerStageOverTheDefaultAndTheCommandLineOverridesThem()
    {
        folder.WriteBase();
        var path = folder.Write("child.yaml", """
            extends: base.yaml
            slurm:
              default: {partition: gpu, cpus: 4, memory: 16G, time: "1-00:00:00", sbatch: [--qos=normal]}
              pretrain: {gpus: 1, time: "3-00:00:00"}
              finetune: {gpus: 1, throttle: 8, sbatch: [--constraint=a100], retries: 2, memory_on_retry: 64G, time_on_retry: "2-00:00:00"}
            """);

        var slurm = folder.Load(path).Slurm;

        var pretrain = slurm.For("pretrain");
        Assert.Equal(("gpu", 4, 1, "16G", "3-00:00:00"), (pretrain.Partition, pretrain.Cpus, pretrain.Gpus, pretrain.Memory, pretrain.Time));
        Assert.Equal(["--qos=normal"], pretrain.Options);
        Assert.Equal(["--qos=normal", "--constraint=a100"], slurm.For("finetune").Options);
        Assert.Equal(8, slurm.For("finetune").Throttle);
        Assert.Equal((2, "64G", "2-00:00:00"), (slurm.For("finetune").Retries, slurm.For("finetune").MemoryOnRetry, slurm.For("finetune").TimeOnRetry));
        Assert.Equal((null, null, null), (pretrain.Retries, pretrain.MemoryOnRetry, pretrain.TimeOnRetry));
        Assert.Equal(slurm.Default, slurm.For("download"));

        var (overridden, error) = slurm.With("pretrain.time=12:00:00");
        Assert.Null(error);
        Assert.Equal("12:00:00", overridden!.For("pretrain").Time);
        Assert.Equal("1-00:00:00", overridden.For("finetune").Time);
        Assert.Equal("debug", overridden.With("partition=debug").Spec!.For("finetune").Partition);
        Assert.Equal("unknown stage 'train' (known: download, preprocess, pretrain, finetune, features, probe, aggregate, render, or no stage for the default)", slurm.With("train.gpus=1").Error);
        Assert.Equal("'many' is not an integer in [0, 64]: --gres=gpu:N", slurm.With("finetune.gpus=many").Error);
        Assert.Equal("expected [STAGE.]SETTING=VALUE", slurm.With("gpus").Error);
        Assert.Equal(0, slurm.With("retries=0").Spec!.For("pretrain").Retries);
        Assert.StartsWith("'11' is not an integer in [0, 10]", slurm.With("retries=11").Error, StringComparison.Ordinal);
        Assert.StartsWith("'lots' is not a memory size", slurm.With("finetune.memory_on_retry=lots").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void EvaluationBindsWithDefaults()
    {
        var evaluation = folder.Load(folder.WriteBase()).Evaluation;

        Assert.Equal("kfold", evaluation.Protocol);
        Assert.Equal(3, evaluation.Folds);
        Assert.Equal([1.0, 0.5], evaluation.Fractions);
        Assert.Equal(0.15, evaluation.ValidationFraction);
        Assert.Equal(["auc", "accuracy"], evaluation.Metrics);
    }

    [Fact]
    public void OfficialSplitHasOneFold()
    {
        var path = folder.Write("official.yaml", SampleManifests.Base.Replace("  protocol: kfold\n  folds: 3\n", "  protocol: official-split\n"));

        var evaluation = folder.Load(path).Evaluation;

        Assert.Equal("official-split", evaluation.Protocol);
        Assert.Equal(1, evaluation.Folds);
    }

    [Fact]
    public void AnEmptyMethodBlockFallsBackToTheReferenceDefaults()
    {
        var path = folder.Write("empty-method.yaml", SampleManifests.Base.Replace("    spark: {}", "    spark:"));

        var spark = folder.Load(path).Pretrain.Methods["spark"];

        Assert.Equal(1600, spark.Integer("epochs"));
        Assert.Equal([0.9, 0.95], spark.Reals("betas"));
    }
}
