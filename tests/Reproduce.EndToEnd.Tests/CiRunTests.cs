using Reproduce.Cli.Tests;
using Reproduce.Core.Execution;
using Reproduce.Evaluation.Aggregation;
using Reproduce.Evaluation.Metrics;
using Reproduce.Evaluation.Regression;
using Reproduce.Learning.Finetuning;
using Reproduce.Learning.Runtime;

namespace Reproduce.EndToEnd.Tests;

/// <summary>
/// One fresh <c>reproduce run</c> of experiments/ci.yaml at one thread per cell and two workers (as the Regress target
/// runs it on this machine kind, and the baseline was derived), every stage from the
/// synthetic download to the rendered report, from the repository root with its own cache, data and results roots;
/// the tests below read it.
/// </summary>
public sealed class CiRun : IDisposable
{
    public static readonly TimeSpan WholeRun = TimeSpan.FromMinutes(20);

    public CiRun()
    {
        First = Run("first", "--workers", "2");
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "reproduce-e2e-tests", Guid.NewGuid().ToString("N"));

    public (Dictionary<string, string?> Environment, CliProcess.Result Result) First { get; }

    public string Cache => First.Environment["REPRODUCE_CACHE"]!;

    /// <summary>A fresh run of the ci experiment under <c>Root/&lt;name&gt;</c> at one thread per cell, with these options.</summary>
    public (Dictionary<string, string?> Environment, CliProcess.Result Result) Run(string name, params string[] options) =>
        RunWith(name, [], options);

    /// <summary><see cref="Run"/> with <paramref name="variables"/> added to the run's environment.</summary>
    public (Dictionary<string, string?> Environment, CliProcess.Result Result) RunWith(string name, IEnumerable<KeyValuePair<string, string?>> variables, params string[] options)
    {
        var environment = new Dictionary<string, string?>(variables)
        {
            ["REPRODUCE_CACHE"] = Path.Combine(Root, name, "cache"),
            ["REPRODUCE_DATA"] = Path.Combine(Root, name, "data"),
            ["REPRODUCE_RESULTS"] = Path.Combine(Root, name, "results"),
        };
        return (environment, CliProcess.RunWithin(WholeRun, CliProcess.RepositoryRoot, environment, ["run", "--manifest", "experiments/ci.yaml", "--threads", "1", .. options]));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS temp cleaner gets what is left.
        }
    }
}

public sealed class CiRunTests(CiRun run) : IClassFixture<CiRun>
{
    private static readonly string[] Tasks = ["covid", "organsmnist", "brain"];

    private static readonly string[] Stages = ["download", "preprocess", "pretrain", "finetune", "aggregate", "render"];

    /// <summary>
    /// Room for the synthetic data, the preprocessed stores and one pre-trained encoder (43 MB), not for the second:
    /// the disk fills up in pre-training, the stage that writes the most.
    /// </summary>
    private const long FullDiskMegabytes = 64;

    private static string BaselinePath => Path.Combine(CliProcess.RepositoryRoot, "results", "baselines", "ci.json");

    [Fact]
    public void TheWholeCiExperimentRendersItsReportAndARerunComputesNothingButRestoresTheResults()
    {
        var (environment, first) = run.First;
        var results = Path.Combine(environment["REPRODUCE_RESULTS"]!, "ci");

        Assert.True(first.ExitCode == 0, first.ToString());
        var report = File.ReadAllText(Path.Combine(results, "report.md"));
        Assert.Contains("## Claims", report, StringComparison.Ordinal);
        foreach (var task in Tasks)
        {
            foreach (var metric in new[] { "auc", "f1", "accuracy" })
            {
                Assert.True(File.Exists(Path.Combine(results, "figures", $"{task}_{metric}.png")), $"{task}_{metric}.png");
                Assert.True(File.Exists(Path.Combine(results, "tables", $"{task}_{metric}.md")), $"{task}_{metric}.md");
            }
        }

        Assert.False(File.Exists(Path.Combine(results, "meta.json")));
        Assert.True(File.Exists(Path.Combine(results, "report.html")));
        Assert.True(File.Exists(Path.Combine(results, "figures", "pretrain_loss.svg")));
        Assert.Contains("![Pre-training loss](figures/pretrain_loss.png)", report, StringComparison.Ordinal);
        // Every training cell logs for TensorBoard: the two pretrain cells and 3 tasks × 3 inits × 2 folds × 2 fractions.
        foreach (var (stage, cells) in new[] { ("pretrain", 2), ("finetune", 36) })
        {
            var logs = Directory.GetDirectories(Path.Combine(run.Cache, stage), TensorBoardLog.Folder, SearchOption.AllDirectories);
            Assert.Equal(cells, logs.Length);
            Assert.All(logs, log => Assert.Single(Directory.GetFiles(log, "events.out.tfevents.*")));
        }

        Directory.Delete(results, recursive: true);
        var second = CliProcess.RunWithin(CiRun.WholeRun, CliProcess.RepositoryRoot, environment, "run", "--manifest", "experiments/ci.yaml");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("nothing to do", second.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(report, File.ReadAllText(Path.Combine(results, "report.md")));
    }

    /// <summary>
    /// On one machine a run is a function of the manifest and the threads per cell: every cell computes in a process
    /// of its own from its spec, with its own seeds, so fresh runs with 2 and 3 workers, which start and interleave the
    /// cells in different orders, publish the same bytes in every file of every cell (meta.json aside: it holds times and
    /// hosts). (A run with 1 worker took the longest of this suite's runs and tells nothing more: no cell sees another.)
    /// The 3-worker run's cells run on glibc's malloc, the 2-worker run's on jemalloc where it is installed (CI installs
    /// it): the allocator, which is in no key, changes no byte either.
    /// </summary>
    [Fact]
    public void FreshRunsWithTwoAndThreeWorkersAndEitherAllocatorPublishTheSameBytes()
    {
        var expected = CellFiles(run.Cache);
        Assert.Equal(3 * 3 * 2 * 2, expected.Keys.Count(k => k.EndsWith(CellResultJson.FileName, StringComparison.Ordinal)));
        var (environment, result) = run.RunWith("workers3", [new(NativeAllocator.Choice, "glibc")], "--workers", "3");
        Assert.True(result.ExitCode == 0, result.ToString());

        AssertSameCellFiles(expected, environment["REPRODUCE_CACHE"]!, "with 3 workers on glibc's malloc");
    }

    /// <summary>
    /// A disk that fills up mid-run: the cache, data and results roots on a tmpfs of <see cref="FullDiskMegabytes"/>,
    /// too small for the two pre-trained encoders. The run up to pre-training fails saying the disk is full and leaves
    /// no half-written cell, no temporary file outside the work folders and no lock owner; on the same disk made
    /// larger, the next run finishes, and every cell holds the bytes of the local run's.
    /// </summary>
    [TmpfsFact]
    public void ADiskThatFillsUpFailsTheRunWithoutAPartialCellAndTheNextRunPublishesTheSameBytes()
    {
        using var disk = Tmpfs.Mount(Path.Combine(run.Root, "full-disk"), FullDiskMegabytes);
        var (environment, full) = run.Run("full-disk", "--workers", "2", "--only", "pretrain");
        Assert.True(full.ExitCode == 1, full.ToString());
        var error = Assert.Single(full.ErrorLines, line => line.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains("No space left on device", error, StringComparison.Ordinal);
        var cache = environment["REPRODUCE_CACHE"]!;
        AssertNothingPartial(cache);

        disk.Resize(1024);
        var (_, resumed) = run.Run("full-disk", "--workers", "2", "--only", "pretrain");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        AssertNothingPartial(cache);
        // Pre-training needs only the LIDC cells upstream: the local run's files of the cells this run published.
        var published = CellFiles(cache);
        Assert.Equal(2, published.Keys.Count(file => file.EndsWith("encoder.safetensors", StringComparison.Ordinal)));
        var local = CellFiles(run.Cache).Where(file => published.ContainsKey(file.Key)).ToDictionary();
        Assert.Equal(published.Count, local.Count);
        AssertSameCellFiles(local, cache, "after the disk filled up and was made larger");
    }

    /// <summary>
    /// The same experiment on the one-node Slurm cluster (<c>build/slurm/test-cluster.sh</c>), one CPU a task:
    /// submitted detached and followed with <c>reproduce status</c> until every cell is cached, it publishes the bytes of
    /// the local run in every file of every cell; the attached run after it submits nothing and restores the results.
    /// </summary>
    [SlurmFact]
    public void OnSlurmADetachedRunFollowedByStatusPublishesTheLocalRunsBytes()
    {
        var expected = CellFiles(run.Cache);
        // Other test projects run beside this one on the same cluster: their few short jobs go first.
        var (environment, detached) = run.Run("slurm", "--executor", "slurm", "--detach", "--slurm", "sbatch=--nice=1000");
        Assert.True(detached.ExitCode == 0, detached.ToString());
        Assert.Contains(detached.OutputLines, l => l.StartsWith("detached: job(s) ", StringComparison.Ordinal));

        var deadline = DateTime.UtcNow + CiRun.WholeRun;
        CliProcess.Result status;
        while (true)
        {
            status = CliProcess.Run(CliProcess.RepositoryRoot, environment, "status", "--manifest", "experiments/ci.yaml");
            Assert.True(status.ExitCode == 0, status.ToString());
            // The "on Slurm" table: stage, cached, pending, running, failed, blocked, missing, submitting.
            var cluster = status.OutputLines.SkipWhile(l => !l.StartsWith("on Slurm", StringComparison.Ordinal)).Skip(2)
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length == 8)
                .ToList();
            Assert.True(cluster.All(f => f[4] == "0" && f[5] == "0"), $"a task failed on the cluster:\n{status}");
            // Stage lines of the first table (stage, cells, cached, missing, incomplete): all cached is done.
            var stages = status.OutputLines.Skip(2).TakeWhile(l => l.Length > 0).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => Stages.Contains(f[0])).ToList();
            if (stages.Count == Stages.Length && stages.All(f => f[1] == f[2]))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the cluster did not finish in {CiRun.WholeRun}:\n{status}");
            Thread.Sleep(TimeSpan.FromSeconds(10));
        }

        AssertSameCellFiles(expected, environment["REPRODUCE_CACHE"]!, "on Slurm");

        var attached = CliProcess.RunWithin(CiRun.WholeRun, CliProcess.RepositoryRoot, environment, "run", "--manifest", "experiments/ci.yaml", "--executor", "slurm");
        Assert.True(attached.ExitCode == 0, attached.ToString());
        Assert.Contains("nothing to do", attached.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("submitted", attached.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(environment["REPRODUCE_RESULTS"]!, "ci", "report.md")));
    }

    [Fact]
    public void RegressPassesAgainstTheCommittedBaselineAndABaselineTheRunMissesFailsWithATable()
    {
        var passing = CliProcess.Run(CliProcess.RepositoryRoot, run.First.Environment, "regress", "--manifest", "experiments/ci.yaml");

        Assert.True(passing.ExitCode == 0, passing.ToString());
        Assert.Contains("metrics within their bands", passing.StandardOutput, StringComparison.Ordinal);

        // The committed baseline with one expectation moved beyond its band: the run now misses it.
        var baseline = Baseline.Read(BaselinePath);
        var moved = baseline.Metrics[0] with { Expected = baseline.Metrics[0].Expected + baseline.Metrics[0].Tolerance + 0.05 };
        var path = Path.Combine(run.Root, "moved.json");
        (baseline with { Metrics = [moved, .. baseline.Metrics.Skip(1)] }).Write(path);

        var failing = CliProcess.Run(CliProcess.RepositoryRoot, run.First.Environment, "regress", "--manifest", "experiments/ci.yaml", "--baseline", path);

        Assert.True(failing.ExitCode == 4, failing.ToString());
        Assert.Contains("WORSE", failing.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"1 of {baseline.Metrics.Count} metrics outside their bands: {moved.Name}", failing.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>
    /// A broken metric, here a wrong label mapping (the evaluation reading every test label as another class), recomputed
    /// from the run's own predictions and aggregated as the aggregate stage does: Regress fails. On a binary task the
    /// swap turns an AUC a into 1 − a, so every binary AUC whose band is narrower than |1 − 2a| must leave it.
    /// </summary>
    [Fact]
    public void AWrongLabelMappingInTheMetricsMakesRegressFail()
    {
        var baseline = Baseline.Read(BaselinePath);
        var correct = Summaries(run.Cache, label => label);
        var broken = Summaries(run.Cache, label => label + 1);

        Assert.True(RegressionCheck.Compare(baseline, correct).Passed, RegressionCheck.Compare(baseline, correct).Table());
        var report = RegressionCheck.Compare(baseline, broken);
        Assert.False(report.Passed);
        var failed = report.Failures.Select(f => f.Expected.Name).ToHashSet();
        var mustFail = baseline.Metrics
            .Where(m => m.Task is "covid" or "brain" && m.Metric == "auc" && Math.Abs(1 - (2 * m.Expected)) > m.Tolerance + 1e-9)
            .Select(m => m.Name)
            .ToList();
        Assert.NotEmpty(mustFail);
        Assert.All(mustFail, name => Assert.Contains(name, failed));
    }

    /// <summary>The aggregate summaries of every task, from the run's finetune predictions with labels mapped by <paramref name="mapLabel"/> (mod the class count).</summary>
    private static List<SummaryRow> Summaries(string cache, Func<int, int> mapLabel)
    {
        var cells = Directory.GetFiles(Path.Combine(cache, "finetune"), CellResultJson.FileName, SearchOption.AllDirectories).Select(path =>
        {
            var cell = CellResultJson.Read(path);
            var predictions = PredictionsCsv.Read(Path.Combine(Path.GetDirectoryName(path)!, FinetuneStage.PredictionsFile));
            var mapped = predictions with { Rows = [.. predictions.Rows.Select(r => r with { Label = mapLabel(r.Label) % cell.Classes })] };
            return cell with { Test = ClassificationMetrics.Compute(mapped, cell.Classes == 2 ? 1 : ClassificationMetrics.DefaultPositiveClass).FlatValues() };
        }).ToList();
        return [.. Tasks.SelectMany(task =>
        {
            var results = cells.Where(c => c.Task == task).ToList();
            return new Aggregator(task, [.. results.Select(r => r.Init).Distinct()], ["auc", "f1", "accuracy"], results).Summary();
        })];
    }

    /// <summary>The same cell files as <paramref name="expected"/> (the two-worker local run's), byte for byte, in <paramref name="cache"/>.</summary>
    /// <summary>
    /// Every published cell is whole (its meta.json, written last, is there), no temporary file lies outside the work
    /// folders (which keep a cell's progress for the next run), and no lock has an owner.
    /// </summary>
    private static void AssertNothingPartial(string cache)
    {
        var cells = Stages
            .Select(stage => Path.Combine(cache, stage))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.GetDirectories(folder).SelectMany(Directory.GetDirectories));
        Assert.All(cells, cell => Assert.True(File.Exists(Path.Combine(cell, "meta.json")), $"{cell} is published without its meta.json"));
        var stray = Directory.GetFiles(cache, "*", SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(cache, path).StartsWith(".work", StringComparison.Ordinal))
            .Where(path => path.EndsWith(".tmp", StringComparison.Ordinal) || path.EndsWith(".owner", StringComparison.Ordinal));
        Assert.Empty(stray);
    }

    private static void AssertSameCellFiles(Dictionary<string, string> expected, string cache, string how)
    {
        var actual = CellFiles(cache);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        var differing = expected.Where(f => f.Value != actual[f.Key]).Select(f => f.Key).ToList();
        Assert.True(differing.Count == 0, $"{how}, these files differ from the local two-worker run's: {string.Join(", ", differing)}");
    }

    /// <summary>
    /// The SHA-256 of every file of every published cell, by its path in the cache (keys included): meta.json aside, and
    /// the reports (Markdown and HTML) without the row of their provenance that gives the time the numbers were computed. The TensorBoard
    /// event files are left out like meta.json: they are run records, named by the time, host and process that wrote
    /// them and stamped with wall times (REPRODUCIBILITY.md §3.4), so no two runs can give the same bytes.
    /// </summary>
    private static Dictionary<string, string> CellFiles(string cache) =>
        Stages
            .Select(stage => Path.Combine(cache, stage))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.GetFiles(folder, "*", SearchOption.AllDirectories))
            .Where(path => Path.GetFileName(path) != "meta.json")
            .Where(path => !Path.GetRelativePath(cache, path).Split(Path.DirectorySeparatorChar).Contains(TensorBoardLog.Folder))
            .ToDictionary(path => Path.GetRelativePath(cache, path), path =>
            {
                var bytes = Path.GetFileName(path) is "report.md" or "report.html"
                    ? System.Text.Encoding.UTF8.GetBytes(string.Join('\n', File.ReadAllLines(path).Where(l => !l.StartsWith("| time |", StringComparison.Ordinal) && !l.StartsWith("<tr><th>time</th>", StringComparison.Ordinal))))
                    : File.ReadAllBytes(path);
                return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes));
            });
}
