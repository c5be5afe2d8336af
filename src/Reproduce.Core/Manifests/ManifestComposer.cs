using Reproduce.Core.Errors;

namespace Reproduce.Core.Manifests;

/// <summary>
/// Resolves <c>extends:</c> chains and merges them: maps merge key by key, recursively; a list or a
/// scalar in the child replaces the parent's (DESIGN.md §7).
/// </summary>
public static class ManifestComposer
{
    public const string ExtendsKey = "extends";

    /// <summary>The longest chain of <c>extends:</c>: the study's is four files.</summary>
    public const int MaxChain = 16;

    /// <summary>The merged tree, and the chain of files from the root ancestor to <paramref name="path"/>.</summary>
    public static (MapNode Tree, IReadOnlyList<string> Chain) Compose(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ManifestException(new ManifestError(new SourceSpan(path, 1, 1), "manifest file not found"));
        }

        return Compose(full, path, []);
    }

    private static (MapNode Tree, IReadOnlyList<string> Chain) Compose(string fullPath, string displayPath, List<string> visiting)
    {
        visiting.Add(fullPath);
        var tree = YamlTreeReader.ReadFile(fullPath, displayPath);
        var extends = tree.Find(ExtendsKey);
        if (extends is null)
        {
            return (tree, [fullPath]);
        }

        if (extends.Value is not ScalarNode { IsNull: false } parentRef)
        {
            throw new ManifestException(new ManifestError(extends.Value.At, "'extends' takes the path of one manifest file"));
        }

        var parentFull = Path.GetFullPath(Path.IsPathRooted(parentRef.Value)
            ? parentRef.Value
            : Path.Combine(Path.GetDirectoryName(fullPath)!, parentRef.Value));
        if (visiting.Count == MaxChain)
        {
            throw new ManifestException(new ManifestError(parentRef.At, $"'extends' chains more than {MaxChain} files; a manifest needs far fewer"));
        }

        if (visiting.Contains(parentFull))
        {
            var cycle = string.Join(" -> ", visiting.Append(parentFull).Select(Path.GetFileName));
            throw new ManifestException(new ManifestError(parentRef.At, $"'extends' cycle: {cycle}"));
        }

        if (!File.Exists(parentFull))
        {
            throw new ManifestException(new ManifestError(parentRef.At, $"'extends' names a file that does not exist: {parentRef.Value}"));
        }

        // Errors name a parent file the way the user named the child: relative to the working
        // directory when the child was given relative, absolute otherwise.
        var parentDisplay = Path.IsPathRooted(displayPath) ? parentFull : Path.GetRelativePath(Directory.GetCurrentDirectory(), parentFull);
        var (parent, chain) = Compose(parentFull, parentDisplay, visiting);
        var own = tree with { Entries = tree.Entries.Where(e => e.Key != ExtendsKey).ToList() };
        return ((MapNode)Merge(parent, own), [.. chain, fullPath]);
    }

    internal static ManifestNode Merge(ManifestNode parent, ManifestNode child)
    {
        if (parent is not MapNode parentMap || child is not MapNode childMap)
        {
            return child;
        }

        var merged = new List<MapEntry>();
        foreach (var entry in parentMap.Entries)
        {
            var over = childMap.Find(entry.Key);
            merged.Add(over is null ? entry : over with { Value = Merge(entry.Value, over.Value) });
        }

        merged.AddRange(childMap.Entries.Where(e => parentMap.Find(e.Key) is null));
        return childMap with { Entries = merged };
    }
}
