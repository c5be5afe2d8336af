using System.Text.RegularExpressions;
using Reproduce.Cli.Tests;

namespace Reproduce.EndToEnd.Tests;

/// <summary>
/// <c>reproduce plan</c> on experiments/ci.yaml, run from the repository root the way the Cake
/// targets run it, against an empty cache of its own.
/// </summary>
public partial class CiPlanTests : IDisposable
{
    private readonly string cache = Path.Combine(Path.GetTempPath(), "reproduce-e2e-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> environment;

    public CiPlanTests()
    {
        environment = new Dictionary<string, string?> { ["REPRODUCE_CACHE"] = cache };
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(cache))
            {
                Directory.Delete(cache, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: the OS temp cleaner gets what is left.
        }
    }

    [Fact]
    public void TheFullCiPlanListsEveryCellAsMissing()
    {
        var result = CliProcess.Run(CliProcess.RepositoryRoot, environment, "plan", "--manifest", "experiments/ci.yaml", "--all");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.StandardError);
        Assert.Equal($"experiment ci (ci.yaml <- synthetic.yaml <- paper.yaml), cache {cache}", result.OutputLines[0]);
        var counts = Counts(result.StandardOutput);
        Assert.Equal(
            [("download", 4), ("preprocess", 4), ("pretrain", 2), ("finetune", 36), ("aggregate", 3), ("render", 1), ("total", 50)],
            counts.Select(c => (c.Stage, c.Cells)));
        Assert.All(counts, c => Assert.Equal((0, c.Cells), (c.Cached, c.ToRun)));

        var cells = CellLines(result.StandardOutput);
        Assert.Equal(50, cells.Count);
        Assert.All(cells, c => Assert.Equal(("missing", false), (c.Status, c.NeededUpstream)));
        Assert.Equal(50, cells.Select(c => c.Address).Distinct().Count());
        Assert.Equal(["pretrain[method=byol]", "pretrain[method=spark]"], cells.Where(c => c.Address.StartsWith("pretrain[", StringComparison.Ordinal)).Select(c => c.Address));
    }

    [Fact]
    public void AFilteredPlanListsTheSelectedCellAndTheUpstreamCellsItNeeds()
    {
        var result = CliProcess.Run(
            CliProcess.RepositoryRoot,
            environment,
            "plan", "--manifest", "experiments/ci.yaml", "--task", "covid", "--init", "spark", "--fold", "1", "--fraction", "0.25");

        Assert.True(result.ExitCode == 0, result.ToString());
        var cells = CellLines(result.StandardOutput);
        var selected = Assert.Single(cells, c => !c.NeededUpstream);
        Assert.Equal("finetune[task=covid, init=spark, fold=1, fraction=0.25]", selected.Address);
        Assert.Equal(
            [
                "download[dataset=lidc]",
                "download[dataset=covid]",
                "preprocess[dataset=lidc]",
                "preprocess[dataset=covid]",
                "pretrain[method=spark]",
            ],
            cells.Where(c => c.NeededUpstream).Select(c => c.Address));
        Assert.Equal(
            [("download", 2), ("preprocess", 2), ("pretrain", 1), ("finetune", 1), ("total", 6)],
            Counts(result.StandardOutput).Select(c => (c.Stage, c.Cells)));
    }

    /// <summary>The cell lines of a plan: status, address, whether only needed upstream, and a 12-digit key prefix.</summary>
    private static List<(string Status, string Address, bool NeededUpstream)> CellLines(string output) =>
        CellLine().Matches(output)
            .Select(m => (m.Groups["status"].Value, m.Groups["address"].Value, m.Groups["upstream"].Success))
            .ToList();

    /// <summary>The rows of the per-stage table: stage, cells, cached, to run.</summary>
    private static List<(string Stage, int Cells, int Cached, int ToRun)> Counts(string output) =>
        CountRow().Matches(output)
            .Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value), int.Parse(m.Groups[4].Value)))
            .ToList();

    [GeneratedRegex(@"^(?<status>missing|cached|incomplete|forced) +(?<address>[a-z]+(\[[^\]]*\])?)(?<upstream> \(needed upstream\))?  [0-9a-f]{12}  \S", RegexOptions.Multiline)]
    private static partial Regex CellLine();

    [GeneratedRegex(@"^(download|preprocess|pretrain|finetune|aggregate|render|total) +(\d+) +(\d+) +(\d+)\r?$", RegexOptions.Multiline)]
    private static partial Regex CountRow();
}
