using Reproduce.Core.Manifests;
using Reproduce.Data.Datasets.Synthetic;

namespace Reproduce.Data.Tests.Synthetic;

/// <summary>Writes synthetic data sets into temp folders and reads back what they hold.</summary>
public static class SyntheticTestSupport
{
    /// <summary>Writes <paramref name="datasetId"/> into a fresh folder (which the caller disposes).</summary>
    public static TempFolder Write(string datasetId, SyntheticSpec spec, long seed = 7)
    {
        var folder = new TempFolder();
        var progress = new RecordingProgress();
        SyntheticDatasets.Write(datasetId, spec, seed, folder.Path, progress);
        Assert.NotEmpty(progress.Reports);
        Assert.Equal(progress.Reports.Last().Total, progress.Reports.Last().Done);
        return folder;
    }

    /// <summary>Every file below <paramref name="root"/> by relative path (with '/'), with its bytes.</summary>
    public static SortedDictionary<string, byte[]> Snapshot(string root) =>
        new(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .ToDictionary(path => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllBytes),
            StringComparer.Ordinal);

    /// <summary>Relative paths (with '/') of the files below <paramref name="root"/>.</summary>
    public static List<string> Files(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(path => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal)];
}
