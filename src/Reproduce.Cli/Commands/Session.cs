using Reproduce.Cli.Composition;
using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Errors;
using Reproduce.Core.Execution;
using Reproduce.Core.Keys;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Learning;
using Reproduce.Learning.Methods;

namespace Reproduce.Cli.Commands;

/// <summary>A loaded manifest with everything derived from it: roots, cache, cells and keys.</summary>
internal sealed record Session(Manifest Manifest, string RepositoryRoot, Roots Roots, CacheStore Cache, CellGraph Graph, CellKeys Keys, StageRegistry Stages)
{
    public static Session Open(string manifestPath, string device)
    {
        if (!RuntimeFingerprint.Devices.Contains(device))
        {
            throw new UsageException($"--device '{device}' is not one of: {string.Join(", ", RuntimeFingerprint.Devices)}");
        }

        var manifest = ManifestLoader.Load(manifestPath, MethodRegistry.Catalog);
        var repositoryRoot = Roots.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var roots = Roots.Resolve(repositoryRoot, manifest.Paths, Environment.GetEnvironmentVariable);
        var graph = ExperimentGraph.Build(manifest);
        var stages = PipelineStages.Create(manifest);
        var keys = new CellKeys(graph, stages, new RuntimeFingerprint(device, TorchRuntime.ManagedVersion));
        return new Session(manifest, repositoryRoot, roots, new CacheStore(roots.Cache), graph, keys, stages);
    }

    public Plan Plan(CellFilter filter, bool force) => Planner.Create(Graph, Keys, Cache, filter, force);
}
