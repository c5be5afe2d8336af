using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;

namespace Reproduce.Core.Stages;

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

    /// <summary>
    /// <paramref name="relative"/> under <paramref name="root"/> as a full path; refused, naming both, when it would lie
    /// outside the root: through a <c>..</c> or an absolute part, or through a symbolic link on the way that points out
    /// of it (the root itself may be a link). A path built from a manifest value or from a file the suite read goes
    /// through this before anything is written or deleted there.
    /// </summary>
    public static string Within(string root, string relative)
    {
        var rootPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var full = Path.GetFullPath(Path.Combine(rootPath, relative));
        if (!IsUnder(full, rootPath) || !IsUnder(Real(full), Real(rootPath)))
        {
            throw new DataFormatException(full, $"lies outside its root {rootPath} (from {Quoted.Bounded(relative)}); nothing is written or deleted there");
        }

        return full;
    }

    private static bool IsUnder(string path, string root) =>
        path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || path == root;

    /// <summary>The path with every symbolic link among its existing parts replaced by what it points to.</summary>
    private static string Real(string full)
    {
        var current = Path.GetPathRoot(full)!;
        foreach (var part in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            try
            {
                if (new FileInfo(current).LinkTarget is not null)
                {
                    current = new FileInfo(current).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? current;
                }
            }
            catch (IOException)
            {
                // A loop of links: nothing inside a root is reached that way.
                return "";
            }
        }

        return current;
    }
}
