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
        var keys = new CellKeys(graph, Composition.PipelineStages.Create(loaded), new RuntimeFingerprint("cpu", "0.107"));
        return graph.Cells.ToDictionary(c => c.Address.Text, keys.KeyOf);
    }

    [Theory]
    [InlineData("paper.yaml")]
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

    [Fact]
    public void ChangingOneMethodHyperParameterReKeysOnlyThatMethodsCells()
    {
        var root = Path.Combine(Path.GetTempPath(), "reproduce-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var changed = Path.Combine(root, "changed.yaml");
            File.WriteAllText(changed, $"extends: {Path.Combine(RepositoryRoot(), "experiments", "ci.yaml")}\npretrain:\n  methods:\n    spark: {{mask_ratio: 0.5}}\n");
            var before = KeysOf(Path.Combine(RepositoryRoot(), "experiments", "ci.yaml"));
            var after = KeysOf(changed);

            var rekeyed = before.Keys.Where(a => before[a] != after[a]).ToList();

            Assert.Contains("pretrain[method=spark]", rekeyed);
            Assert.DoesNotContain("pretrain[method=byol]", rekeyed);
            Assert.All(rekeyed.Where(a => a.StartsWith("finetune", StringComparison.Ordinal)), a => Assert.Contains("init=spark", a));
            // tasks × folds × fractions of ci.yaml
            Assert.Equal(3 * 2 * 2, rekeyed.Count(a => a.StartsWith("finetune", StringComparison.Ordinal)));
            Assert.Equal(["aggregate[task=brain]", "aggregate[task=covid]", "aggregate[task=organsmnist]", "render"], rekeyed.Where(a => !a.StartsWith("finetune", StringComparison.Ordinal) && !a.StartsWith("pretrain", StringComparison.Ordinal)).Order());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
