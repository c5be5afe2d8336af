using Reproduce.Cli.Composition;
using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Errors;
using Reproduce.Core.Execution;
using Reproduce.Core.Keys;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Evaluation.Aggregation;
using Reproduce.Learning;
using Reproduce.Learning.Methods;

namespace Reproduce.Cli.Commands;

/// <summary>A loaded manifest with everything derived from it: roots, cache, cells and keys.</summary>
internal sealed record Session(Manifest Manifest, string RepositoryRoot, Roots Roots, CacheStore Cache, CellGraph Graph, CellKeys Keys, StageRegistry Stages)
{
    public static Session Open(string manifestPath, string device) => Open(ManifestLoader.Load(manifestPath, MethodRegistry.Catalog), device);

    /// <summary>A session of a manifest already loaded (and perhaps changed in memory: <c>reproduce baseline</c> varies the seed).</summary>
    public static Session Open(Manifest manifest, string device)
    {
        if (!RuntimeFingerprint.Devices.Contains(device))
        {
            throw new UsageException($"--device '{device}' is not one of: {string.Join(", ", RuntimeFingerprint.Devices)}");
        }

        var repositoryRoot = Roots.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var roots = Roots.Resolve(repositoryRoot, manifest.Paths, Environment.GetEnvironmentVariable);
        var graph = ExperimentGraph.Build(manifest);
        var stages = PipelineStages.Create();
        var keys = new CellKeys(graph, stages, new RuntimeFingerprint(device, TorchRuntime.ManagedVersion));
        return new Session(manifest, repositoryRoot, roots, new CacheStore(roots.Cache), graph, keys, stages);
    }

    public Plan Plan(CellFilter filter, bool force) => Planner.Create(Graph, Keys, Cache, filter, force);

    /// <summary><c>results/baselines/&lt;experiment&gt;.json</c> in the repository (not under a redirected results root: baselines are versioned with the code).</summary>
    public string BaselinePath => Path.Combine(RepositoryRoot, "results", "baselines", Manifest.Experiment + ".json");

    /// <summary>
    /// The summary rows of every aggregate cell of the experiment, from the cache: the headline metrics. An experiment
    /// that has not been run through its aggregates is an environment problem that names the missing cells.
    /// </summary>
    public IReadOnlyList<SummaryRow> AggregateSummaries()
    {
        var rows = new List<SummaryRow>();
        var missing = new List<string>();
        foreach (var cell in Graph.Cells.Where(c => c.Stage == Core.Manifests.Stages.Aggregate))
        {
            var key = Keys.KeyOf(cell);
            if (Cache.TryReadComplete(Core.Manifests.Stages.Aggregate, key) is null)
            {
                missing.Add(cell.Address.Text);
                continue;
            }

            rows.AddRange(AggregateFiles.ReadSummary(Path.Combine(Cache.CellDirectory(Core.Manifests.Stages.Aggregate, key), AggregateFiles.SummaryFileName)));
        }

        return missing.Count == 0
            ? rows
            : throw new EnvironmentException($"experiment '{Manifest.Experiment}' has not been run: {string.Join(", ", missing)} not in the cache; run `reproduce run --manifest <manifest>` first (`./build.sh --target=Regress` runs and compares)");
    }
}
