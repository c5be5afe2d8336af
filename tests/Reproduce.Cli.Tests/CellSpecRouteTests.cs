using System.Globalization;
using System.Text;
using System.Text.Json;
using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Errors;
using Reproduce.Core.Keys;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Data.Datasets;
using Reproduce.Learning.Methods;
using Reproduce.Learning.Pretraining;

namespace Reproduce.Cli.Tests;

/// <summary>
/// One route from a manifest to a computation: the stages read nothing but their cell's spec, so every setting of a
/// manifest must reach some cell's key (or be a declared run setting), and what a stage reads back from its spec must
/// be exactly what the manifest says.
/// </summary>
public sealed class CellSpecRouteTests : IDisposable
{
    /// <summary>Settings that say how to run, never what is computed: outside every key by design.</summary>
    private static readonly string[] RunSettings = ["pretrain.checkpoint_every", "paths.", "slurm."];

    private readonly string temp = Directory.CreateTempSubdirectory("reproduce-route-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private static string Experiment(string name) => Path.Combine(CliProcess.RepositoryRoot, "experiments", name);

    [Theory]
    [InlineData("paper.yaml")]
    [InlineData("synthetic.yaml")]
    public void EverySettingChangesAKeyUnlessItIsARunSetting(string manifest)
    {
        var path = Experiment(manifest);
        var original = KeysOf(ManifestLoader.Load(path, MethodRegistry.Catalog));
        var (tree, _) = ManifestComposer.Compose(path);
        var unkeyed = new List<string>();
        var tried = 0;
        foreach (var (setting, value) in Leaves(tree, ""))
        {
            if (Mutate(value) is not { } changed)
            {
                continue;
            }

            var child = Path.Combine(temp, $"{tried++}.yaml");
            File.WriteAllText(child, $"extends: {path}\n{Override(setting, changed)}");
            Manifest mutated;
            try
            {
                mutated = ManifestLoader.Load(child, MethodRegistry.Catalog);
            }
            catch (ManifestException)
            {
                continue;   // a value the manifest refuses computes nothing
            }

            if (!RunSettings.Any(setting.StartsWith) && KeysOf(mutated).SequenceEqual(original))
            {
                unkeyed.Add($"{setting}: {value.Value} → {changed}");
            }
        }

        Assert.True(tried > 40, $"only {tried} settings of {manifest} could be varied");
        Assert.True(unkeyed.Count == 0, $"these settings of {manifest} change no key, so a stage either ignores them or reads them past its spec:\n{string.Join('\n', unkeyed)}");
    }

    [Theory]
    [InlineData("paper.yaml")]
    [InlineData("paper-kaggle-brain.yaml")]
    [InlineData("synthetic.yaml")]
    [InlineData("ci.yaml")]
    public void EachStageReadsBackFromItsSpecWhatTheManifestSays(string manifest)
    {
        var loaded = ManifestLoader.Load(Experiment(manifest), MethodRegistry.Catalog);
        var graph = ExperimentGraph.Build(loaded);
        var keys = new CellKeys(graph, Composition.PipelineStages.Create(), new RuntimeFingerprint("cpu", "0.107"));
        foreach (var cell in graph.Cells)
        {
            // What run-cell reads: the spec as written to and read from the cache.
            var file = Path.Combine(temp, cell.Address.Stage + ".json");
            CellSpec.Of(cell, keys).Write(file);
            var spec = CellSpec.Read(file);
            Assert.Equal(CellSpec.Of(cell, keys).ToJson().ToJsonString(), spec.ToJson().ToJsonString());
            switch (cell.Stage)
            {
                case StageNames.Download:
                    var dataset = loaded.Datasets[cell.Address["dataset"]!];
                    Assert.Equal(AsSource(dataset), AsSource(DownloadCell.Source(spec.Parameters, spec.Inputs, spec.Locations)));
                    break;
                case StageNames.Preprocess:
                    Assert.Equal(loaded.Datasets[cell.Address["dataset"]!].Preprocess, ExperimentGraph.ReadRecord<PreprocessSpec>(spec.Parameters));
                    break;
                case StageNames.Pretrain:
                    var method = loaded.Pretrain.Methods[cell.Address["method"]!];
                    var read = PretrainStage.MethodOf(spec.Parameters);
                    Assert.Equal(method.ToString(), read.ToString());
                    var descriptor = MethodRegistry.Catalog.Find(method.Id)!;
                    Assert.All(descriptor.Parameters, p => Assert.Equal(Typed(method, p.Name, p.Kind), Typed(read, p.Name, p.Kind)));
                    break;
            }
        }
    }

    [Fact]
    public void ASpecWhoseKeyDocumentWasEditedIsRefusedNamingItsFile()
    {
        var loaded = ManifestLoader.Load(Experiment("ci.yaml"), MethodRegistry.Catalog);
        var graph = ExperimentGraph.Build(loaded);
        var keys = new CellKeys(graph, Composition.PipelineStages.Create(), new RuntimeFingerprint("cpu", "0.107"));
        var file = Path.Combine(temp, "spec.json");
        CellSpec.Of(graph.Cells.First(c => c.Stage == StageNames.Pretrain), keys).Write(file);
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"epochs\": 2", "\"epochs\": 3", StringComparison.Ordinal));

        var error = Assert.Throws<CacheException>(() => CellSpec.Read(file));
        Assert.Contains(file, error.Message);
        Assert.Contains("the file was changed", error.Message);
    }

    [Fact]
    public void RunCellRefusesAnotherDeviceThanTheOneItsKeyWasPlannedFor()
    {
        var graph = ExperimentGraph.Build(ManifestLoader.Load(Experiment("ci.yaml"), MethodRegistry.Catalog));
        var keys = new CellKeys(graph, Composition.PipelineStages.Create(), new RuntimeFingerprint("cpu", "0.107"));
        var spec = CellSpec.Of(graph.Cells.First(c => c.Stage == StageNames.Pretrain), keys);
        var cache = Path.Combine(temp, "cache");
        new CacheStore(cache).WriteSpec(spec);

        var result = CliProcess.Run(temp, new Dictionary<string, string?>(), "run-cell", spec.Key, "--cache", cache, "--device", "cuda");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("was planned for --device cpu, not cuda: plan it again for cuda", result.StandardError);
    }

    [Fact]
    public void ASlurmSectionChangesNoKey()
    {
        var path = Experiment("ci.yaml");
        var child = Path.Combine(temp, "cluster.yaml");
        File.WriteAllText(child, $$"""
            extends: {{path}}
            slurm:
              default: {partition: cpu, cpus: 2, memory: 8G, time: "2:00:00", sbatch: [--qos=low]}
              pretrain: {gpus: 1, memory: 32G}
              finetune: {gpus: 1, throttle: 4}
            """);

        Assert.Equal(KeysOf(ManifestLoader.Load(path, MethodRegistry.Catalog)), KeysOf(ManifestLoader.Load(child, MethodRegistry.Catalog)));
    }

    private static Dictionary<string, string> KeysOf(Manifest manifest)
    {
        var graph = ExperimentGraph.Build(manifest);
        var keys = new CellKeys(graph, Composition.PipelineStages.Create(), new RuntimeFingerprint("cpu", "0.107"));
        return graph.Cells.ToDictionary(c => c.Address.Text, keys.KeyOf);
    }

    private static IEnumerable<(string Path, ScalarNode Value)> Leaves(MapNode map, string prefix)
    {
        foreach (var entry in map.Entries.Where(e => e.Key != ManifestComposer.ExtendsKey))
        {
            var path = prefix + entry.Key;
            switch (entry.Value)
            {
                case MapNode inner:
                    foreach (var leaf in Leaves(inner, path + "."))
                    {
                        yield return leaf;
                    }

                    break;
                case ScalarNode { IsNull: false } scalar:
                    yield return (path, scalar);
                    break;
            }
        }
    }

    /// <summary>Another valid-looking value of the same kind, or null for one that cannot be varied.</summary>
    private static string? Mutate(ScalarNode value)
    {
        var text = value.Value;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer))
        {
            return (integer + 1).ToString(CultureInfo.InvariantCulture);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return (real == 0 ? 1e-3 : real * 0.5).ToString("R", CultureInfo.InvariantCulture);
        }

        if (bool.TryParse(text, out var flag))
        {
            return (!flag).ToString().ToLowerInvariant();
        }

        return text.Contains("${", StringComparison.Ordinal) ? null : JsonSerializer.Serialize(text + "x");
    }

    private static string Override(string path, string value)
    {
        var parts = path.Split('.');
        var yaml = new StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            yaml.Append(new string(' ', 2 * i)).Append(parts[i]).Append(':').Append(i == parts.Length - 1 ? " " + value : "").Append('\n');
        }

        return yaml.ToString();
    }

    private static string AsSource(DatasetSource source) => JsonSerializer.Serialize(source, typeof(DatasetSource));

    private static object Typed(MethodSpec method, string name, Core.Methods.ParameterKind kind) => kind switch
    {
        Core.Methods.ParameterKind.Integer => method.Integer(name),
        Core.Methods.ParameterKind.Real => method.Real(name),
        Core.Methods.ParameterKind.Boolean => method.Flag(name),
        Core.Methods.ParameterKind.Choice => method.Choice(name),
        Core.Methods.ParameterKind.RealList => string.Join(",", method.Reals(name)),
        Core.Methods.ParameterKind.IntegerList => string.Join(",", method.Integers(name)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
