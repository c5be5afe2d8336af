namespace Reproduce.Cli.Tests;

/// <summary>
/// <c>reproduce run --executor slurm</c> against a real one-node Slurm cluster: the cells to compute go out as job
/// arrays chained with afterok, a published cell is the proof of success, a failed task is reported with its log's
/// last lines and blocks only its downstream cells, and a rerun submits nothing already done.
/// </summary>
public sealed class SlurmExecutorTests : IDisposable
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(5);
    private static readonly string Ci = Path.Combine(CliProcess.RepositoryRoot, "experiments", "ci.yaml");
    private readonly string temp = Directory.CreateTempSubdirectory("reproduce-slurm-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [SlurmFact]
    public void Each_preprocessing_cell_waits_for_its_own_download_task_and_a_rerun_submits_nothing()
    {
        var first = Run("--manifest", Ci, "--only", "preprocess");

        Assert.True(first.ExitCode == 0, first.StandardOutput + first.StandardError);
        Assert.Contains(first.OutputLines, l => l.StartsWith("submitted 00-download: job ", StringComparison.Ordinal) && l.EndsWith(", 4 cell(s)", StringComparison.Ordinal));
        var download = first.OutputLines.Single(l => l.StartsWith("submitted 00-download: job ", StringComparison.Ordinal)).Split(' ')[3].TrimEnd(',');
        var preprocessing = first.OutputLines.Where(l => l.Contains("-preprocess: job ", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, preprocessing.Count);
        Assert.All(preprocessing, l => Assert.Matches($@", 1 cell\(s\) after {download}_[0-3]$", l));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(temp, "cache", "preprocess"), "store.json", SearchOption.AllDirectories).Length);
        var scripts = Directory.GetFiles(Path.Combine(temp, "cache", ".slurm"), "*.sh", SearchOption.AllDirectories);
        Assert.Contains(scripts, s => File.ReadAllText(s).Contains("#SBATCH --dependency=afterok:", StringComparison.Ordinal));
        Assert.Equal(8, Directory.GetFiles(Path.Combine(temp, "cache", ".slurm"), "*.out", SearchOption.AllDirectories).Length);

        var again = Run("--manifest", Ci, "--only", "preprocess");

        Assert.Equal(0, again.ExitCode);
        Assert.Contains("nothing to do", again.StandardOutput);
        Assert.DoesNotContain("submitted", again.StandardOutput);
    }

    [SlurmFact]
    public void Cells_beyond_the_array_size_go_into_further_arrays()
    {
        var result = Run("--manifest", Ci, "--only", "download", "--max-array-size", "3");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains(result.OutputLines, l => l.StartsWith("submitted 00-download: job ", StringComparison.Ordinal) && l.EndsWith(", 3 cell(s)", StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.StartsWith("submitted 01-download: job ", StringComparison.Ordinal) && l.EndsWith(", 1 cell(s)", StringComparison.Ordinal));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(temp, "cache", "download"), "meta.json", SearchOption.AllDirectories).Length);
    }

    [SlurmFact]
    public void A_failed_task_fails_its_cell_with_its_log_and_blocks_only_its_downstream_cells()
    {
        var brain = Path.Combine(temp, "brain");
        foreach (var folder in new[] { "train/a_without", "train/b_with", "test/a_without", "test/b_with" })
        {
            Directory.CreateDirectory(Path.Combine(brain, folder));
        }

        var manifest = Path.Combine(temp, "empty-brain.yaml");
        File.WriteAllText(manifest, $"extends: {Ci}\ndatasets:\n  brain:\n    source: local\n    synthetic: ~\n    path: {brain}\n");

        var result = Run("--manifest", manifest, "--only", "preprocess");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: download[dataset=brain]: job ", result.StandardError);
        Assert.Contains(": its task ended FAILED (NonZeroExitCode) without publishing the cell", result.StandardError);
        Assert.Contains($"{brain}: dataset 'brain' has no images in the expected layout", result.StandardError);
        Assert.Contains(result.OutputLines, l => l.Contains("preprocess[dataset=brain]: skipped", StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["preprocess", "0", "3", "0", "1", ..]);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(temp, "cache", "preprocess"), "store.json", SearchOption.AllDirectories).Length);
    }

    private CliProcess.Result Run(params string[] arguments) =>
        CliProcess.RunWithin(RunLimit, temp, new Dictionary<string, string?> { ["REPRODUCE_CACHE"] = Path.Combine(temp, "cache") }, ["run", "--executor", "slurm", "--threads", "1", .. arguments]);
}
