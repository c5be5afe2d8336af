using Reproduce.Core.Errors;

namespace Reproduce.Core.Tests.Manifests;

/// <summary>
/// Invalid manifests fail with a <see cref="ManifestException"/> whose errors name the file, line
/// and column of the offending node (DESIGN.md §3). Most cases are a child of the valid base
/// manifest, so that each position is in a file of a few lines.
/// </summary>
public class ManifestErrorTests : IDisposable
{
    private const string Extends = "extends: base.yaml\n";

    private readonly ManifestFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    // unknown keys, top level and nested
    [InlineData("colour: blue\n", 2, 1, "unknown key 'colour' in the manifest")]
    [InlineData("finetune:\n  epoch: 5\n", 3, 3, "unknown key 'epoch' in 'finetune'")]
    [InlineData("datasets:\n  covid:\n    urls: x\n", 4, 5, "unknown key 'urls' in 'datasets.covid'")]
    [InlineData("pretrain:\n  methods:\n    byol:\n      epoch: 5\n", 5, 7, "unknown key 'epoch' in 'pretrain.methods.byol' (known keys: epochs, learning_rate, optimizer, symmetric, tau_base)")]
    // wrong types
    [InlineData("finetune:\n  epochs: many\n", 3, 11, "'finetune.epochs' must be an integer, found 'many'")]
    [InlineData("seed: '7'\n", 2, 7, "'seed' must be an integer, found '7'")]
    [InlineData("evaluation:\n  fractions: {all: 1}\n", 3, 14, "'evaluation.fractions' must be a list, found a map")]
    [InlineData("pretrain:\n  methods:\n    spark: {betas: 0.9}\n", 4, 20, "'pretrain.methods.spark.betas' must be a non-empty list of numbers")]
    [InlineData("finetune:\n  train_bn_while_frozen: yes\n", 3, 26, "'finetune.train_bn_while_frozen' must be true or false, found 'yes'")]
    // out of range
    [InlineData("evaluation:\n  fractions: [1.0, 1.5]\n", 3, 20, "'evaluation.fractions' is 1.5, out of range (0, 1]")]
    [InlineData("evaluation:\n  fractions: [0]\n", 3, 15, "'evaluation.fractions' is 0, out of range (0, 1]")]
    [InlineData("evaluation:\n  folds: -2\n", 3, 10, "'evaluation.folds' is -2, out of range [1, 100]")]
    [InlineData("evaluation:\n  folds: 1\n", 3, 10, "'evaluation.folds' must be at least 2 with protocol 'kfold'")]
    [InlineData("pretrain:\n  methods:\n    spark: {mask_ratio: 0.99}\n", 4, 25, "'pretrain.methods.spark.mask_ratio' is 0.99, out of range [0, 0.95]")]
    [InlineData("pretrain:\n  image_size: 100\n", 3, 15, "it must be a multiple of 32")]
    [InlineData("pretrain:\n  memory_format: nhwc\n", 3, 18, "'pretrain.memory_format' is 'nhwc', expected one of: contiguous, channels_last")]
    // unknown names
    [InlineData("pretrain:\n  methods:\n    simclr: {}\n", 4, 5, "unknown method 'simclr' (known methods: byol, mocov2, spark, swav)")]
    [InlineData("datasets:\n  organsmnist:\n    source: zenodo\n    version: v2\n    image_size: 64\n    preprocess: {recipe: gray, size: 64}\n", 6, 17, "'datasets.organsmnist.image_size' is 64, but MedMNIST v2 was published at 28 px only: use version v3 for larger images")]
    [InlineData("datasets:\n  lidc:\n    preprocess: {recipe: gray}\n", 4, 26, "'datasets.lidc.preprocess.recipe' 'gray' is for image files; dataset 'lidc' is CT in HU: use 'authors' or 'window'")]
    [InlineData("datasets:\n  imagenet:\n    source: web\n", 3, 3, "unknown dataset 'imagenet' (known datasets: lidc, covid, organsmnist, brain)")]
    [InlineData("tasks:\n  lidc:\n    dataset: lidc\n", 3, 3, "unknown task 'lidc' (known tasks: covid, organsmnist, brain)")]
    [InlineData("finetune:\n  inits: [scratch, simclr]\n", 3, 20, "unknown init 'simclr' in 'finetune.inits' (known inits: scratch, byol, spark)")]
    [InlineData("finetune:\n  inits:\n    - scratch\n    - simclr\n", 5, 7, "unknown init 'simclr'")]
    [InlineData("finetune:\n  inits: [scratch, swav]\n", 3, 20, "unknown init 'swav'")]
    // evaluation protocols
    [InlineData("evaluation:\n  protocols: [linear_probe, knn]\n", 3, 14, "'evaluation.protocols' must include 'finetune'")]
    [InlineData("evaluation:\n  protocols: [finetune, svm]\n", 3, 25, "'evaluation.protocols' is 'svm', expected one of: finetune, linear_probe, knn")]
    [InlineData("evaluation:\n  knn: {k: 5}\n", 3, 9, "unknown key 'k' in 'evaluation.knn' (known keys: neighbours, temperature)")]
    [InlineData("evaluation:\n  knn: {temperature: 0}\n", 3, 22, "'evaluation.knn.temperature'")]
    // inits from weights files
    [InlineData("finetune:\n  inits: [scratch, {byol: {file: w.pt}}]\n", 3, 21, "file init 'byol' needs an id of its own")]
    [InlineData("finetune:\n  inits: [scratch, {swav: {file: w.pt}}]\n", 3, 21, "file init 'swav' needs an id of its own")]
    [InlineData("finetune:\n  inits: [scratch, {imagenet: {}}]\n", 3, 31, "'finetune.inits.imagenet' needs 'file'")]
    [InlineData("finetune:\n  inits: [scratch, {imagenet: {file: w.pt, prefix: x}}]\n", 3, 44, "unknown key 'prefix' in 'finetune.inits.imagenet' (known keys: file, optional, prefix_map)")]
    [InlineData("finetune:\n  inits: [scratch, {imagenet: {file: w.pt}, other: {file: v.pt}}]\n", 3, 20, "a file init in 'finetune.inits' is a map with one key")]
    [InlineData("finetune:\n  inits: [scratch, {imagenet: {file: w.pt}}, {imagenet: {file: v.pt}}]\n", 3, 46, "'finetune.inits' lists 'imagenet' twice")]
    [InlineData("finetune:\n  inits: [{imagenet: {file: w.pt, prefix_map: {module.: [x]}}}]\n", 3, 57, "'finetune.inits.imagenet.prefix_map.module.' must be a string")]
    [InlineData("finetune:\n  inits: [{imagenet: {file: '${REPRODUCE_TEST_UNSET_VARIABLE}', optional: true}}]\n", 3, 10, "'finetune.inits' leaves no init to run once the optional ones are left out")]
    [InlineData("tasks:\n  organsmnist: {dataset: organsmnist, classes: 11, reduction: random, mean: [0.5], std: [0.5]}\n", 3, 26, "task 'organsmnist' reads dataset 'organsmnist', which 'datasets' does not declare")]
    // an invalid dataset block is not also reported as undeclared by its task
    [InlineData("datasets:\n  covid:\n    source: kaggle\n", 4, 13, "'datasets.covid.source' is 'kaggle', expected one of: github, synthetic")]
    // required settings removed by a child
    [InlineData("evaluation:\n  metrics: ~\n", 3, 3, "'evaluation' needs 'metrics'")]
    [InlineData("evaluation:\n  fractions: ~\n", 3, 3, "'evaluation' needs 'fractions'")]
    [InlineData("finetune:\n  inits: ~\n", 3, 3, "'finetune' needs 'inits'")]
    [InlineData("tasks:\n  covid:\n    mean: ~\n", 4, 5, "'tasks.covid' needs 'mean'")]
    [InlineData("datasets:\n  covid:\n    version: ~\n", 4, 5, "'datasets.covid' with source 'github' needs 'version'")]
    // the Slurm resources
    [InlineData("slurm:\n  pretrian: {gpus: 1}\n", 3, 3, "unknown key 'pretrian' in 'slurm' (known keys: aggregate, default, download, features, finetune, preprocess, pretrain, probe, render)")]
    [InlineData("slurm:\n  pretrain: {gpu: 1}\n", 3, 14, "unknown key 'gpu' in 'slurm.pretrain'")]
    [InlineData("slurm:\n  pretrain: {cpus: 0}\n", 3, 20, "'slurm.pretrain.cpus': '0' is not an integer in [1, 4096]")]
    [InlineData("slurm:\n  default: {time: 2 days}\n", 3, 19, "'slurm.default.time': '2 days' is not a time limit as Slurm writes it")]
    [InlineData("slurm:\n  finetune: {memory: 16GB}\n", 3, 22, "'slurm.finetune.memory': '16GB' is not a memory size")]
    [InlineData("slurm:\n  finetune:\n    sbatch: [--qos=high, --array=0-9]\n", 4, 26, "'slurm.finetune.sbatch': '--array' is set by the executor")]
    [InlineData("slurm:\n  finetune:\n    sbatch: [-p gpu]\n", 4, 14, "'slurm.finetune.sbatch': '-p gpu' is not an sbatch option")]
    [InlineData("slurm:\n  finetune:\n    sbatch: --qos=high\n", 4, 13, "'slurm.finetune.sbatch' must be a list, found a scalar")]
    public void AnInvalidChildNamesTheFileLineAndColumn(string body, int line, int column, string message)
    {
        folder.WriteBase();
        var child = folder.Write("child.yaml", Extends + body);

        var error = folder.LoadFails(child);

        AssertSingleError(error, child, line, column, message);
    }

    [Fact]
    public void AnErrorInAParentNamesTheParentFile()
    {
        var parent = folder.Write("parent.yaml", "colour: blue\n" + SampleManifests.Base);
        var child = folder.Write(Path.Combine("sub", "child.yaml"), "extends: ../parent.yaml\nexperiment: child\n");

        var error = folder.LoadFails(child);

        AssertSingleError(error, parent, 1, 1, "unknown key 'colour'");
    }

    [Fact]
    public void AnExtendsCycleIsReportedAtTheExtendsThatClosesIt()
    {
        folder.WriteBase();
        var a = folder.Write("a.yaml", "extends: b.yaml\nexperiment: a\n");
        var b = folder.Write("b.yaml", "experiment: b\nextends: a.yaml\n");

        var error = folder.LoadFails(a);

        AssertSingleError(error, b, 2, 10, "'extends' cycle: a.yaml -> b.yaml -> a.yaml");
    }

    [Fact]
    public void AFileExtendingItselfIsACycle()
    {
        var a = folder.Write("a.yaml", "experiment: a\n\nextends:   a.yaml\n");

        var error = folder.LoadFails(a);

        AssertSingleError(error, a, 3, 12, "'extends' cycle: a.yaml -> a.yaml");
    }

    [Fact]
    public void ExtendingAMissingFileIsReportedAtTheExtendsValue()
    {
        var child = folder.Write("child.yaml", "experiment: child\nextends: nowhere/base.yaml\n");

        var error = folder.LoadFails(child);

        AssertSingleError(error, child, 2, 10, "'extends' names a file that does not exist: nowhere/base.yaml");
    }

    [Fact]
    public void AMissingManifestFileIsAManifestError()
    {
        var path = Path.Combine(folder.Root, "absent.yaml");

        var error = folder.LoadFails(path);

        AssertSingleError(error, path, 1, 1, "manifest file not found");
    }

    [Fact]
    public void InvalidYamlIsReportedWhereTheParserStopped()
    {
        var path = folder.Write("bad.yaml", "experiment: x\n  seed: 1\n");

        var error = folder.LoadFails(path);

        AssertSingleError(error, path, 2, 7, "invalid YAML: ");
    }

    [Fact]
    public void AFlowListLeftOpenIsInvalidYamlNotACrash()
    {
        // YamlDotNet throws a bare InvalidOperationException for this input; the loader must still
        // report a manifest error with a position.
        folder.WriteBase();
        var path = folder.Write("child.yaml", Extends + "evaluation:\n  fractions: [1.0, 0.5\n  metrics: [auc]\n");

        var error = folder.LoadFails(path);

        AssertSingleError(error, path, 4, 3, "invalid YAML: ");
    }

    [Fact]
    public void AYamlTagIsRejectedRatherThanSilentlyIgnored()
    {
        var path = folder.Write("bad.yaml", "experiment: x\nseed: !!str 5\n");

        var error = folder.LoadFails(path);

        var single = Assert.Single(error.Errors);
        Assert.Equal(new SourceSpan(path, 2, 7), single.At);
        Assert.Contains("YAML tags", single.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADuplicateKeyIsInvalid()
    {
        var path = folder.Write("bad.yaml", "experiment: x\nseed: 1\nexperiment: y\n");

        var error = folder.LoadFails(path);

        var single = Assert.Single(error.Errors);
        Assert.Equal(new SourceSpan(path, 3, 1), single.At);
        Assert.Contains("duplicate key", single.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AnEmptyFileIsInvalid()
    {
        var path = folder.Write("empty.yaml", "# nothing here\n");

        var error = folder.LoadFails(path);

        AssertSingleError(error, path, 1, 1, "the manifest is empty");
    }

    [Fact]
    public void SeveralErrorsAreReportedTogetherInFileOrder()
    {
        folder.WriteBase();
        var child = folder.Write("child.yaml", Extends + """
            evaluation:
              fractions: [1.5]
            colour: blue
            finetune:
              epochs: many

            """);

        var error = folder.LoadFails(child);

        Assert.Equal(
            [new SourceSpan(child, 3, 15), new SourceSpan(child, 4, 1), new SourceSpan(child, 6, 11)],
            error.Errors.Select(e => e.At));
        Assert.Contains("out of range", error.Errors[0].Message);
        Assert.Contains("unknown key 'colour'", error.Errors[1].Message);
        Assert.Contains("must be an integer", error.Errors[2].Message);
        Assert.Equal(error.Errors.Select(e => e.ToString()), error.Message.Split(Environment.NewLine));
        Assert.Equal(ExitCodes.InvalidInput, error.ExitCode);
    }

    [Fact]
    public void AnInvalidMethodBlockIsNotAlsoAnUnknownInit()
    {
        folder.WriteBase();
        var child = folder.Write("child.yaml", Extends + "pretrain:\n  methods:\n    byol: {epochs: zero}\n");

        var error = folder.LoadFails(child);

        AssertSingleError(error, child, 4, 20, "'pretrain.methods.byol.epochs' must be an integer, found 'zero'");
        Assert.DoesNotContain("unknown init", error.Message);
    }

    [Fact]
    public void AnUnknownMethodIsNotAlsoAnUnknownInitWhenNoInitNamesIt()
    {
        folder.WriteBase();
        var child = folder.Write("child.yaml", Extends + "pretrain:\n  methods:\n    simclr: {}\nfinetune:\n  inits: [scratch, simclr]\n");

        var error = folder.LoadFails(child);

        // Both are reported: the method block is not in the catalog, so 'simclr' is no init either.
        Assert.Equal([new SourceSpan(child, 4, 5), new SourceSpan(child, 6, 20)], error.Errors.Select(e => e.At));
    }

    private static void AssertSingleError(ManifestException exception, string file, int line, int column, string message)
    {
        var error = Assert.Single(exception.Errors);
        Assert.Equal(new SourceSpan(file, line, column), error.At);
        Assert.Contains(message, error.Message);
        Assert.Equal($"{file}:{line}:{column}: {error.Message}", exception.Message);
    }
}
