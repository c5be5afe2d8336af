using System.Text.RegularExpressions;

namespace Reproduce.Cli.Tests;

/// <summary>
/// <c>reproduce plan</c> as a process: a bad manifest is one line on stderr naming file, line and
/// column, with exit code 2 (DESIGN.md §6, §7); a good one prints the per-stage counts. Each test
/// runs in its own working directory with its own cache.
/// </summary>
public class PlanCommandTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "reproduce-cli-tests", Guid.NewGuid().ToString("N"));
    private readonly string work;
    private readonly Dictionary<string, string?> environment;

    public PlanCommandTests()
    {
        work = Path.Combine(root, "work");
        Directory.CreateDirectory(work);
        environment = new Dictionary<string, string?> { ["REPRODUCE_CACHE"] = Path.Combine(root, "cache") };
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS temp cleaner gets what is left.
        }
    }

    private static string Paper => Path.Combine(CliProcess.RepositoryRoot, "experiments", "paper.yaml");

    [Theory]
    [InlineData("unknown-key", "bad.yaml:3:1", "unknown key 'colour' in the manifest")]
    [InlineData("wrong-type", "bad.yaml:4:11", "'finetune.epochs' must be an integer, found 'many'")]
    [InlineData("out-of-range", "bad.yaml:4:20", "'evaluation.fractions' is 1.5, out of range (0, 1]")]
    [InlineData("unknown-method", "bad.yaml:5:5", "unknown method 'simclr'")]
    [InlineData("unknown-dataset", "bad.yaml:4:3", "unknown dataset 'imagenet'")]
    [InlineData("unknown-task", "bad.yaml:4:3", "unknown task 'lidc'")]
    [InlineData("unknown-init", "bad.yaml:4:20", "unknown init 'simclr'")]
    [InlineData("extends-cycle", "other.yaml:1:10", "'extends' cycle: bad.yaml -> other.yaml -> bad.yaml")]
    [InlineData("extends-missing", "bad.yaml:1:10", "'extends' names a file that does not exist: nowhere.yaml")]
    [InlineData("invalid-yaml", "bad.yaml:5:3", "invalid YAML")]
    public void ABadManifestIsOneLineWithItsPositionAndExitCode2(string kind, string position, string message)
    {
        WriteBadManifest(kind);

        var result = CliProcess.Run(work, environment, "plan", "--manifest", "bad.yaml");

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains(position + ": ", line);
        Assert.Contains(message, line);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public void ABadManifestGivenByAbsolutePathIsNamedByThatPath()
    {
        var bad = Path.Combine(work, "bad.yaml");
        File.WriteAllText(bad, $"extends: {Paper}\nexperiment: bad\ncolour: blue\n");

        var result = CliProcess.Run(root, environment, "plan", "--manifest", bad);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{bad}:3:1: ", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void AMissingManifestIsInvalidInput()
    {
        var result = CliProcess.Run(work, environment, "plan", "--manifest", "absent.yaml");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("absent.yaml:1:1: manifest file not found", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void ThePaperPlanPrintsThePerStageCounts()
    {
        var result = CliProcess.Run(work, environment, "plan", "--manifest", Paper);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.StandardError);
        Assert.StartsWith("experiment paper (paper.yaml)", result.OutputLines[0]);
        Assert.Matches(new Regex(@"^download\s+4\s", RegexOptions.Multiline), result.StandardOutput);
        Assert.Matches(new Regex(@"^preprocess\s+4\s", RegexOptions.Multiline), result.StandardOutput);
        Assert.Matches(new Regex(@"^pretrain\s+4\s", RegexOptions.Multiline), result.StandardOutput);
        Assert.Matches(new Regex(@"^finetune\s+375\s+0\s+375$", RegexOptions.Multiline), result.StandardOutput);
        Assert.Matches(new Regex(@"^features\s+15\s+0\s+15$", RegexOptions.Multiline), result.StandardOutput);
        Assert.Matches(new Regex(@"^probe\s+750\s+0\s+750$", RegexOptions.Multiline), result.StandardOutput);
        Assert.Matches(new Regex(@"^aggregate\s+9\s", RegexOptions.Multiline), result.StandardOutput);
        Assert.Matches(new Regex(@"^render\s+1\s", RegexOptions.Multiline), result.StandardOutput);
        Assert.Matches(new Regex(@"^total\s+1162\s+0\s+1162$", RegexOptions.Multiline), result.StandardOutput);
    }

    [Fact]
    public void AnUnknownOptionIsInvalidInput()
    {
        var result = CliProcess.Run(work, environment, "plan", "--manifest", Paper, "--no-such-option");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--no-such-option", result.StandardError);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public void AnUnknownStageIsInvalidInput()
    {
        var result = CliProcess.Run(work, environment, "plan", "--manifest", Paper, "--only", "train");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--only 'train' is not a stage", Assert.Single(result.ErrorLines));
    }

    /// <summary>Writes bad.yaml (and what it extends) into the working directory: a child of paper.yaml with one mistake.</summary>
    private void WriteBadManifest(string kind)
    {
        var header = $"extends: {Paper}\nexperiment: bad\n";
        var (text, other) = kind switch
        {
            "unknown-key" => (header + "colour: blue\n", null),
            "wrong-type" => (header + "finetune:\n  epochs: many\n", null),
            "out-of-range" => (header + "evaluation:\n  fractions: [1.0, 1.5]\n", null),
            "unknown-method" => (header + "pretrain:\n  methods:\n    simclr: {}\n", null),
            "unknown-dataset" => (header + "datasets:\n  imagenet:\n    source: web\n", null),
            "unknown-task" => (header + "tasks:\n  lidc:\n    dataset: lidc\n", null),
            "unknown-init" => (header + "finetune:\n  inits: [scratch, simclr]\n", null),
            "extends-cycle" => ("extends: other.yaml\nexperiment: bad\n", "extends: bad.yaml\n"),
            "extends-missing" => ("extends: nowhere.yaml\nexperiment: bad\n", null),
            "invalid-yaml" => (header + "evaluation:\n  fractions: [1.0, 0.5\n  metrics: [auc]\n", (string?)null),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        File.WriteAllText(Path.Combine(work, "bad.yaml"), text);
        if (other is not null)
        {
            File.WriteAllText(Path.Combine(work, "other.yaml"), other);
        }
    }
}
