using Reproduce.Core.Manifests;

namespace Reproduce.Core.Execution;

/// <summary>
/// The data, cache and results roots (DESIGN.md §7): relative to the repository root by default,
/// overridden by a manifest's <c>paths:</c> block, which is overridden by REPRODUCE_DATA,
/// REPRODUCE_CACHE and REPRODUCE_RESULTS.
/// </summary>
public sealed record Roots(string Data, string Cache, string Results)
{
    public static Roots Resolve(string repositoryRoot, PathsSpec paths, Func<string, string?> environment)
    {
        return new Roots(
            Pick("REPRODUCE_DATA", paths.Data, "data"),
            Pick("REPRODUCE_CACHE", paths.Cache, "cache"),
            Pick("REPRODUCE_RESULTS", paths.Results, "results"));

        string Pick(string variable, ConfiguredPath? fromManifest, string fallback)
        {
            var chosen = environment(variable) is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : fromManifest?.Require($"paths setting for {fallback}") ?? fallback;
            return Path.GetFullPath(chosen, repositoryRoot);
        }
    }

    /// <summary>The repository root: the nearest ancestor of <paramref name="start"/> holding Reproduce.sln, else <paramref name="start"/>.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Reproduce.sln")))
            {
                return dir.FullName;
            }
        }

        return Path.GetFullPath(start);
    }
}
