using Reproduce.Core.Cells;
using Reproduce.Core.Keys;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Learning.Methods;

namespace Reproduce.Cli.Tests;

/// <summary>Keys of the real experiments depend on what they say, not on where the checkout is or when it runs.</summary>
public class KeyStabilityTests
{
    private static string RepositoryRoot() => CliProcess.RepositoryRoot;

    private static Dictionary<string, string> KeysOf(string manifest)
    {
        var loaded = ManifestLoader.Load(manifest, MethodRegistry.Catalog);
        var graph = ExperimentGraph.Build(loaded);
        var keys = new CellKeys(graph, Composition.PipelineStages.Create(), new RuntimeFingerprint("cpu", "0.107"));
        return graph.Cells.ToDictionary(c => c.Address.Text, keys.KeyOf);
    }

    [Theory]
    [InlineData("paper.yaml")]
    [InlineData("paper-kaggle-brain.yaml")]
    [InlineData("synthetic.yaml")]
    [InlineData("ci.yaml")]
    public void KeysAreTheSameInAnotherCheckoutLocationAndAcrossLoads(string manifest)
    {
        var original = Path.Combine(RepositoryRoot(), "experiments");
        var copy = Path.Combine(Path.GetTempPath(), "reproduce-tests", Guid.NewGuid().ToString("N"), "somewhere", "else");
        Directory.CreateDirectory(copy);
        try
        {
            foreach (var file in Directory.GetFiles(original, "*.yaml"))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
                File.SetLastWriteTimeUtc(Path.Combine(copy, Path.GetFileName(file)), DateTime.UnixEpoch);
            }

            var here = KeysOf(Path.Combine(original, manifest));
            Assert.Equal(here, KeysOf(Path.Combine(original, manifest)));
            Assert.Equal(here, KeysOf(Path.Combine(copy, manifest)));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(copy))!, recursive: true);
        }
    }

    /// <summary>The addresses of ci.yaml whose keys differ in a manifest that extends it with <paramref name="change"/>, and the addresses only one of them has.</summary>
    private static (List<string> ReKeyed, List<string> Added, List<string> Removed) Change(string change)
    {
        var root = Path.Combine(Path.GetTempPath(), "reproduce-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var changed = Path.Combine(root, "changed.yaml");
            File.WriteAllText(changed, $"extends: {Path.Combine(RepositoryRoot(), "experiments", "ci.yaml")}\n{change}");
            var before = KeysOf(Path.Combine(RepositoryRoot(), "experiments", "ci.yaml"));
            var after = KeysOf(changed);
            return (
                [.. before.Keys.Where(a => after.TryGetValue(a, out var key) && key != before[a]).Order()],
                [.. after.Keys.Except(before.Keys).Order()],
                [.. before.Keys.Except(after.Keys).Order()]);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static readonly string[] AggregatesAndRender = ["aggregate[task=brain]", "aggregate[task=covid]", "aggregate[task=organsmnist]", "render"];

    [Fact]
    public void ChangingOneTrainingFractionReplacesOnlyThatFractionsCells()
    {
        var (rekeyed, added, removed) = Change("evaluation:\n  fractions: [1.0, 0.5]\n");

        Assert.Equal(AggregatesAndRender, rekeyed);
        // tasks × inits × folds of ci.yaml
        Assert.Equal(3 * 3 * 2, added.Count);
        Assert.All(added, a => Assert.Contains("fraction=0.5]", a));
        Assert.Equal(added.Select(a => a.Replace("fraction=0.5", "fraction=0.25")).Order(), removed);
    }

    [Fact]
    public void ChangingOneTasksSettingReKeysOnlyThatTasksCells()
    {
        var (rekeyed, added, removed) = Change("tasks:\n  covid: {flip: none}\n");

        Assert.Empty(added);
        Assert.Empty(removed);
        Assert.All(rekeyed.Where(a => a.StartsWith("finetune", StringComparison.Ordinal)), a => Assert.StartsWith("finetune[task=covid,", a));
        Assert.Equal(3 * 2 * 2, rekeyed.Count(a => a.StartsWith("finetune", StringComparison.Ordinal)));
        Assert.Equal(["aggregate[task=covid]", "render"], rekeyed.Where(a => !a.StartsWith("finetune", StringComparison.Ordinal)));
    }

    [Fact]
    public void ChangingOneMethodHyperParameterReKeysOnlyThatMethodsCells()
    {
        var (rekeyed, added, removed) = Change("pretrain:\n  methods:\n    spark: {mask_ratio: 0.5}\n");

        Assert.Empty(added);
        Assert.Empty(removed);
        Assert.Contains("pretrain[method=spark]", rekeyed);
        Assert.DoesNotContain("pretrain[method=byol]", rekeyed);
        Assert.All(rekeyed.Where(a => a.StartsWith("finetune", StringComparison.Ordinal)), a => Assert.Contains("init=spark", a));
        // tasks × folds × fractions of ci.yaml
        Assert.Equal(3 * 2 * 2, rekeyed.Count(a => a.StartsWith("finetune", StringComparison.Ordinal)));
        Assert.Equal(AggregatesAndRender, rekeyed.Where(a => !a.StartsWith("finetune", StringComparison.Ordinal) && !a.StartsWith("pretrain", StringComparison.Ordinal)));
    }
}
