using System.Text.Json.Nodes;
using Reproduce.Learning.Checkpoints;

namespace Reproduce.Cli.Tests;

/// <summary>The executing verbs through the real CLI: run, run-cell, status, clean, unlock.</summary>
public class RunCommandTests : IDisposable
{
    private readonly string temp = Path.Combine(Path.GetTempPath(), "reproduce-tests", Guid.NewGuid().ToString("N"));

    public RunCommandTests()
    {
        Directory.CreateDirectory(temp);
    }

    private static string Ci => Path.Combine(CliProcess.RepositoryRoot, "experiments", "ci.yaml");

    private CliProcess.Result Reproduce(params string[] arguments) =>
        CliProcess.Run(temp, new Dictionary<string, string?> { ["REPRODUCE_CACHE"] = Path.Combine(temp, "cache") }, arguments);

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void OneFinetuneCellPublishesPredictionsWhoseMetricsTheMetricsVerbReproduces()
    {
        var result = Reproduce("run", "--manifest", Ci, "--only", "finetune", "--task", "brain", "--init", "scratch", "--fold", "0", "--fraction", "1.0");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.OutputLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["finetune", "0", "1", "0", ..]);
        var cell = Path.GetDirectoryName(Assert.Single(Directory.GetFiles(Path.Combine(temp, "cache", "finetune"), "metrics.json", SearchOption.AllDirectories)))!;
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(cell, "metrics.json")))!;
        Assert.Equal("brain", metrics["task"]!.GetValue<string>());
        Assert.Equal(8, File.ReadAllLines(Path.Combine(cell, "curve.csv")).Length - 1);   // ci.yaml: 8 epochs

        // The predictions file is the one `reproduce metrics` reads, and gives the cell's own test metrics back.
        var recomputed = Reproduce("metrics", Path.Combine(cell, "predictions.csv"), "--json");
        Assert.Equal(0, recomputed.ExitCode);
        var flat = JsonNode.Parse(recomputed.StandardOutput)!.AsObject();
        foreach (var (name, value) in metrics["test"]!.AsObject())
        {
            Assert.Equal(value?.GetValue<double>(), flat[name]?.GetValue<double>());
        }
    }

    [Fact]
    public void PreprocessBuildsEveryStoreOfTheCiExperimentAndARerunComputesNothing()
    {
        var first = Reproduce("run", "--manifest", Ci, "--only", "preprocess");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains(first.OutputLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["download", "0", "4", "0", ..]);
        Assert.Contains(first.OutputLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["preprocess", "0", "4", "0", ..]);
        var stores = Directory.GetFiles(Path.Combine(temp, "cache", "preprocess"), "store.json", SearchOption.AllDirectories);
        Assert.Equal(4, stores.Length);
        Assert.All(stores, s => Assert.True(new FileInfo(Path.Combine(Path.GetDirectoryName(s)!, "images.u8")).Length > 0));

        var again = Reproduce("run", "--manifest", Ci, "--only", "preprocess");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("nothing to do", again.StandardOutput);
    }

    [Fact]
    public void PretrainPublishesEachEncoderInTorchvisionNamesWithItsLossCurveAndARerunComputesNothing()
    {
        var first = Reproduce("run", "--manifest", Ci, "--only", "pretrain");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains(first.OutputLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["pretrain", "0", "2", "0", ..]);
        var cells = Directory.GetFiles(Path.Combine(temp, "cache", "pretrain"), "encoder.safetensors", SearchOption.AllDirectories).Select(Path.GetDirectoryName).ToList();
        Assert.Equal(2, cells.Count);
        foreach (var cell in cells)
        {
            var (weights, metadata) = SafeTensors.Read(Path.Combine(cell!, "encoder.safetensors"));
            Assert.Equal("resnet18", metadata["arch"]);
            // The header names the cell that wrote it: the cache keeps a cell under its key.
            var written = CellCheckpointMetadata.Read(Path.Combine(cell!, "encoder.safetensors"));
            Assert.Equal(Path.GetFileName(cell), written.Key);
            Assert.Equal("pretrain", written.Address.Stage);
            Assert.Contains("layer4.1.bn2.running_var", weights.Keys);
            Assert.DoesNotContain(weights.Keys, k => k.StartsWith("fc.", StringComparison.Ordinal));
            // ci.yaml: 2 epochs of 2 steps; the checkpoint is not published.
            Assert.Equal(5, File.ReadAllLines(Path.Combine(cell!, "loss.csv")).Length);
            Assert.False(File.Exists(Path.Combine(cell!, "checkpoint.safetensors")));
        }

        var again = Reproduce("run", "--manifest", Ci, "--only", "pretrain");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("nothing to do", again.StandardOutput);
    }

    [Fact]
    public void ALocalDatasetWithoutItsFolderSaysHowToGetOne()
    {
        var manifest = Path.Combine(temp, "local-brain.yaml");
        File.WriteAllText(manifest, $"extends: {Ci}\ndatasets:\n  brain:\n    source: local\n    synthetic: ~\n    path: ${{REPRODUCE_TEST_BRAIN}}\n");

        var result = Reproduce("run", "--manifest", manifest, "--only", "download", "--dataset", "brain");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("REPRODUCE_TEST_BRAIN is not set", result.StandardError);
        Assert.Contains("train|test/{a_without,b_with}", result.StandardError);
    }

    [Fact]
    public void RunCellRefusesACellWhoseUpstreamIsMissing()
    {
        var plan = Reproduce("plan", "--manifest", Ci, "--only", "preprocess", "--dataset", "covid");
        var key = plan.OutputLines.Single(l => l.StartsWith("missing    preprocess[dataset=covid]  ", StringComparison.Ordinal)).Split("  ", StringSplitOptions.RemoveEmptyEntries)[2];

        var result = Reproduce("run-cell", key, "--manifest", Ci);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(["error: preprocess[dataset=covid] needs download[dataset=covid] first: run their stage (or 'reproduce run') before this cell"], result.ErrorLines);
    }

    [Theory]
    [InlineData("--device cpu --devices 0,1", "--devices chooses GPUs: it needs --device cuda")]
    [InlineData("--device cuda --devices first,second", "--devices 'first,second': a comma-separated list of GPU indices or UUIDs")]
    [InlineData("--device cuda --devices ,", "--devices ',': a comma-separated list of GPU indices or UUIDs")]
    [InlineData("--executor kubernetes", "--executor 'kubernetes': local or slurm")]
    [InlineData("--max-array-size 10", "--max-array-size 10: at least 1, and only with --executor slurm")]
    [InlineData("--slurm partition=gpu", "--slurm: only with --executor slurm")]
    [InlineData("--detach", "--detach: only with --executor slurm")]
    [InlineData("--executor slurm --slurm pretrain.gpus", "--slurm pretrain.gpus: expected [STAGE.]SETTING=VALUE")]
    [InlineData("--executor slurm --max-array-size 0", "--max-array-size 0: at least 1, and only with --executor slurm")]
    public void RunRefusesExecutionOptionsItCannotUse(string options, string problem)
    {
        var result = Reproduce(["run", "--manifest", Ci, .. options.Split(' ')]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(problem, result.StandardError);
    }

    [Fact]
    public void RunCellWithAnUnknownKeyIsInvalidInput()
    {
        var result = Reproduce("run-cell", new string('0', 64), "--manifest", Ci);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no cell of ci has key", result.StandardError);
    }

    [Fact]
    public void RegressOnAnExperimentNotRunSaysWhichCellsAreMissing()
    {
        var result = Reproduce("regress", "--manifest", Ci, "--baseline", Path.Combine(CliProcess.RepositoryRoot, "results", "baselines", "ci.json"));

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("experiment 'ci' has not been run: aggregate[task=covid], aggregate[task=organsmnist], aggregate[task=brain] not in the cache", result.StandardError);
    }

    [Fact]
    public void RegressWithoutABaselineSaysHowToDeriveOne()
    {
        var result = Reproduce("regress", "--manifest", Ci, "--baseline", Path.Combine(temp, "none.json"));

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("reproduce baseline --manifest", result.StandardError);
    }

    [Theory]
    [InlineData("--seeds", "2", "at least 2 seeds")]
    [InlineData("--seeds", "2,x", "--seeds: 'x' is not an integer")]
    [InlineData("--k", "0", "--k a positive number")]
    [InlineData("--floor", "-0.1", "--floor a number ≥ 0")]
    public void BaselineRefusesTooFewSeedsOrABadBandBeforeRunningAnything(string option, string value, string problem)
    {
        var result = Reproduce("baseline", "--manifest", Ci, option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(problem, result.StandardError);
        Assert.False(Directory.Exists(Path.Combine(temp, "cache", "download")));
    }

    [Fact]
    public void StatusCountsTheCellsPerStage()
    {
        var result = Reproduce("status", "--manifest", Ci);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.OutputLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["finetune", "36", "0", "36", "0"]);
    }

    [Fact]
    public void CleanWithNothingCachedRemovesNothing()
    {
        var result = Reproduce("clean", "--manifest", Ci, "--task", "covid");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("removed 0 cell(s)", result.StandardOutput);
    }

    [Fact]
    public void UnlockNeedsAKeyOrStale()
    {
        Assert.Equal(2, Reproduce("unlock").ExitCode);
        var stale = Reproduce("unlock", "--stale");
        Assert.Equal(0, stale.ExitCode);
        Assert.Contains("0 stale lock(s) removed", stale.StandardOutput);
    }

    [Fact]
    public void BenchPlanTimesThePaperGrid()
    {
        var result = CliProcess.Run(CliProcess.RepositoryRoot, new Dictionary<string, string?>(), "bench", "plan", "--repeats", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1162 cells (4 download, 4 preprocess, 4 pretrain, 375 finetune, 15 features, 750 probe, 9 aggregate, 1 render)", result.StandardOutput);
    }

    [Fact]
    public void BenchPreprocessReportsSlicesPerSecondAndPeakMemory()
    {
        var result = CliProcess.Run(temp, new Dictionary<string, string?> { ["TMPDIR"] = temp }, "bench", "preprocess", "--slices", "6", "--size", "64");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"reproduce: 5 slices in [0-9.]+ s = [0-9.]+ slices/s on one CPU \(pinned\); peak working set [0-9]+ MB", result.StandardOutput);
        Assert.Contains("taskset -c 0 /usr/bin/python3 bench/preprocess_pydicom.py", result.StandardOutput);
    }

    [Fact]
    public void BenchPretrainReportsImagesPerSecondAndTheReferenceCommand()
    {
        var result = CliProcess.Run(temp, new Dictionary<string, string?>(), "bench", "pretrain", "--method", "mocov2", "--arch", "resnet18", "--size", "64", "--batch", "8", "--threads", "1", "--steps", "1", "--warmup", "0");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"mocov2 resnet18 64px batch 8 threads 1: [0-9.]+ images/s \(1 steps in [0-9.]+ s\); peak working set [0-9]+ MB", result.StandardOutput);
        Assert.Contains("/usr/bin/python3 bench/pretrain_torch.py --method mocov2 --arch resnet18 --size 64 --batch 8 --threads 1", result.StandardOutput);
    }
}
