using Reproduce.Core.Errors;
using Reproduce.Core.Methods;

namespace Reproduce.Core.Manifests;

/// <summary>Loads, merges (<c>extends:</c>) and validates a manifest file.</summary>
public static class ManifestLoader
{
    /// <summary>
    /// The validated manifest at <paramref name="path"/>. Throws <see cref="ManifestException"/>
    /// with every problem found, each with file, line and column.
    /// </summary>
    public static Manifest Load(string path, MethodCatalog catalog)
    {
        var (tree, chain) = ManifestComposer.Compose(path);
        var (manifest, errors) = ManifestBinder.Bind(tree, chain, catalog);
        return manifest ?? throw new ManifestException(errors.OrderBy(e => e.At.File).ThenBy(e => e.At.Line).ThenBy(e => e.At.Column).ToList());
    }
}
