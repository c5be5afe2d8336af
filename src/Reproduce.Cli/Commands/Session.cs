using Reproduce.Cli.Composition;
using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Errors;
using Reproduce.Core.Keys;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
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

    /// <summary>Says which optional inits the manifest offers and this run leaves out, so their absence from the tables is explained.</summary>
    public void PrintLeftOutInits(TextWriter output)
    {
        foreach (var notice in Manifest.Finetune.LeftOutInits)
        {
            output.WriteLine($"note: {notice}");
        }
    }

    public Plan Plan(CellFilter filter, bool force) => Planner.Create(Graph, Keys, Cache, filter, force);

    /// <summary><c>results/baselines/&lt;experiment&gt;.json</c> in the repository (not under a redirected results root: baselines are versioned with the code).</summary>
    public string BaselinePath => Path.Combine(RepositoryRoot, "results", "baselines", Manifest.Experiment + ".json");
}
