using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;

namespace Reproduce.Core.Tests.Manifests;

/// <summary>A fresh temporary folder for one test's manifest files, deleted with the test.</summary>
public sealed class ManifestFolder : IDisposable
{
    public ManifestFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "reproduce-manifest-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    /// <summary>The folder's absolute path.</summary>
    public string Root { get; }

    /// <summary>Writes <paramref name="text"/> to <paramref name="relativePath"/> (folders created) and returns the absolute path.</summary>
    public string Write(string relativePath, string text)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        return path;
    }

    /// <summary>Writes the valid base manifest (<see cref="SampleManifests.Base"/>) to base.yaml.</summary>
    public string WriteBase() => Write("base.yaml", SampleManifests.Base);

    public Manifest Load(string path) => ManifestLoader.Load(path, TestCatalog.Catalog);

    public ManifestException LoadFails(string path) => Assert.Throws<ManifestException>(() => Load(path));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS temp cleaner gets what is left.
        }
    }
}
