using Reproduce.Core.Manifests;

namespace Reproduce.Core.Tests.Manifests;

/// <summary>
/// <c>extends:</c> (DESIGN.md §7): maps merge key by key, recursively; a list or a scalar in the
/// child replaces the parent's; an empty value in the child removes the parent's.
/// </summary>
public class ManifestExtendsTests : IDisposable
{
    private readonly ManifestFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void MapsMergeKeyByKeyRecursively()
    {
        folder.WriteBase();
        var child = folder.Write("child.yaml", """
            extends: base.yaml
            datasets:
              lidc:
                synthetic: {size: 32}
            pretrain:
              methods:
                byol: {learning_rate: 0.5}
                swav: {}

            """);

        var manifest = folder.Load(child);

        // Three levels down, only the named key changes.
        Assert.Equal(new SyntheticSpec { Size = 32, Series = 2, SlicesPerSeries = 8 }, manifest.Datasets["lidc"].Synthetic);
        Assert.Equal("authors", manifest.Datasets["lidc"].Preprocess.Recipe);
        Assert.Equal("https://example.org/covid-ct", manifest.Datasets["covid"].Url);
        var byol = manifest.Pretrain.Methods["byol"];
        Assert.Equal(0.5, byol.Real("learning_rate"));
        Assert.Equal(3, byol.Integer("epochs"));
        Assert.Equal("adam", byol.Choice("optimizer"));
        Assert.Equal(["byol", "spark", "swav"], manifest.Pretrain.Methods.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3000, manifest.Pretrain.Methods["swav"].Integer("prototypes"));
    }

    [Fact]
    public void AListInTheChildReplacesTheParentsList()
    {
        folder.WriteBase();
        var child = folder.Write("child.yaml", """
            extends: base.yaml
            finetune:
              inits: [spark]
            evaluation:
              fractions: [0.25]

            """);

        var manifest = folder.Load(child);

        Assert.Equal(["spark"], manifest.Finetune.Inits);
        Assert.Equal([0.25], manifest.Evaluation.Fractions);
        Assert.Equal(["auc", "accuracy"], manifest.Evaluation.Metrics);
        Assert.Equal(4, manifest.Finetune.Epochs);
    }

    [Fact]
    public void AScalarInTheChildReplacesTheParentsScalar()
    {
        folder.WriteBase();
        var child = folder.Write("child.yaml", """
            extends: base.yaml
            experiment: child
            seed: 9
            evaluation:
              folds: 2

            """);

        var manifest = folder.Load(child);

        Assert.Equal("child", manifest.Experiment);
        Assert.Equal(9, manifest.Seed);
        Assert.Equal(2, manifest.Evaluation.Folds);
        Assert.Equal("Base experiment", manifest.Title);
    }

    [Fact]
    public void AnEmptyValueInTheChildRemovesTheParentsValue()
    {
        folder.WriteBase();
        var child = folder.Write("child.yaml", """
            extends: base.yaml
            title: ~
            datasets:
              covid:
                url: ~
            pretrain:
              methods:
                byol:
                  epochs: ~

            """);

        var manifest = folder.Load(child);

        Assert.Equal("", manifest.Title);
        Assert.Null(manifest.Datasets["covid"].Url);
        Assert.Equal("main", manifest.Datasets["covid"].Version);
        var byol = manifest.Pretrain.Methods["byol"];
        Assert.Equal(100, byol.Integer("epochs"));
        Assert.Equal("adam", byol.Choice("optimizer"));
    }

    [Fact]
    public void SwitchingASourceClearsTheKeysOfTheOldOne()
    {
        // The synthetic.yaml pattern: a real source in the parent, synthetic in the child, with the
        // parent's source-specific keys removed by empty values.
        folder.WriteBase();
        var child = folder.Write("child.yaml", """
            extends: base.yaml
            datasets:
              covid:
                source: synthetic
                url: ~
                version: ~
                synthetic: {size: 64, train: 20, validation: 5, test: 10}

            """);

        var covid = folder.Load(child).Datasets["covid"];

        Assert.Equal("synthetic", covid.Source);
        Assert.Null(covid.Url);
        Assert.Null(covid.Version);
        Assert.Equal(new SyntheticSpec { Size = 64, Train = 20, Validation = 5, Test = 10 }, covid.Synthetic);
    }

    [Fact]
    public void AnEmptyMethodBlockInTheChildResetsTheMethodToItsDefaults()
    {
        folder.WriteBase();
        var child = folder.Write("child.yaml", """
            extends: base.yaml
            pretrain:
              methods:
                byol: ~

            """);

        var byol = folder.Load(child).Pretrain.Methods["byol"];

        Assert.Equal(100, byol.Integer("epochs"));
        Assert.Equal("lars", byol.Choice("optimizer"));
    }

    [Fact]
    public void ARelativeExtendsIsResolvedAgainstTheExtendingFilesFolder()
    {
        // ../common/base.yaml exists next to the child's folder, not next to the working directory.
        var parent = folder.Write(Path.Combine("common", "base.yaml"), SampleManifests.Base);
        var child = folder.Write(Path.Combine("experiments", "child.yaml"), """
            extends: ../common/base.yaml
            experiment: child

            """);

        var manifest = folder.Load(child);

        Assert.Equal("child", manifest.Experiment);
        Assert.Equal([child, parent], manifest.Files);
    }

    [Fact]
    public void AnAbsoluteExtendsIsUsedAsItIs()
    {
        var parent = folder.Write(Path.Combine("elsewhere", "base.yaml"), SampleManifests.Base);
        var child = folder.Write(Path.Combine("experiments", "child.yaml"), $"""
            extends: {parent}
            experiment: child

            """);

        var manifest = folder.Load(child);

        Assert.Equal("child", manifest.Experiment);
        Assert.Equal([child, parent], manifest.Files);
    }

    [Fact]
    public void AThreeLevelChainMergesEveryLevelAndListsTheFilesNearestFirst()
    {
        var grandparent = folder.WriteBase();
        var parent = folder.Write("parent.yaml", """
            extends: base.yaml
            experiment: parent
            seed: 8
            finetune:
              epochs: 5

            """);
        var child = folder.Write(Path.Combine("sub", "child.yaml"), """
            extends: ../parent.yaml
            experiment: child
            finetune:
              batch_size: 2

            """);

        var manifest = folder.Load(child);

        Assert.Equal([child, parent, grandparent], manifest.Files);
        Assert.Equal("child", manifest.Experiment);
        Assert.Equal(8, manifest.Seed);
        Assert.Equal("Base experiment", manifest.Title);
        Assert.Equal(5, manifest.Finetune.Epochs);
        Assert.Equal(2, manifest.Finetune.BatchSize);
        Assert.Equal("adam", manifest.Finetune.Optimizer);
    }
}
