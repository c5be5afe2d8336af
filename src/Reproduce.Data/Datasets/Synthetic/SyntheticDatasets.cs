using Reproduce.Core.Manifests;
using Reproduce.Core.Randomness;
using Reproduce.Core.Stages;

namespace Reproduce.Data.Datasets.Synthetic;

/// <summary>
/// Writes the synthetic stand-in of a dataset (DESIGN.md §4) in the same on-disk layout as the real source
/// (<see cref="Datasets.RawLayouts"/>), with the real files' quirks, so every offline run exercises the real
/// readers. Everything is drawn from generators seeded by (seed, dataset, item): the same seed gives
/// byte-identical files, and no file holds a time stamp.
/// <para>
/// The target directory must be empty or absent. Files are written straight into it; if generation fails,
/// whatever was written is removed again, so the directory is left empty.
/// Publishing the finished directory atomically is the caller's part (the download stage writes into its
/// cell's work directory and renames that).
/// </para>
/// </summary>
public static class SyntheticDatasets
{
    public static void Write(string datasetId, SyntheticSpec spec, long seed, string directory, ICellProgress progress)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(progress);
        Action<SyntheticSpec, long, string, ICellProgress> write = datasetId switch
        {
            Identifiers.Lidc => SyntheticLidc.Write,
            Identifiers.Covid => SyntheticCovid.Write,
            Identifiers.OrganSMnist => SyntheticOrganSMnist.Write,
            Identifiers.Brain => SyntheticBrain.Write,
            _ => throw new ArgumentException($"no synthetic stand-in for dataset '{datasetId}' (known: {string.Join(", ", Identifiers.Datasets)})", nameof(datasetId)),
        };
        if (spec.Size < 16)
        {
            throw new ArgumentException($"synthetic {datasetId} images of {spec.Size} px are too small; the phantoms need at least 16", nameof(spec));
        }

        var root = Path.GetFullPath(directory);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new IOException($"cannot write synthetic {datasetId} into {root}: the directory is not empty");
        }

        Directory.CreateDirectory(root);
        try
        {
            write(spec, seed, root, progress);
        }
        catch
        {
            foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo folder)
                {
                    folder.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }

            throw;
        }
    }

    /// <summary>The value of a size field the dataset needs; the manifest binder requires it, so absence is a caller's bug.</summary>
    internal static int Required(int? value, string field, string datasetId, int minimum) =>
        value is { } v && v >= minimum
            ? v
            : throw new ArgumentException($"synthetic {datasetId} needs '{field}' of at least {minimum} (got {value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})", "spec");

    /// <summary>The generator of one item, named by its place in the data set, so items do not depend on each other's draws.</summary>
    internal static SplitMix64 Random(long seed, string datasetId, string item) => SplitMix64.For(seed, $"synthetic/{datasetId}/{item}");

    /// <summary>Creates <paramref name="relative"/> below <paramref name="root"/> and returns its path.</summary>
    internal static string CreateFolder(string root, string relative)
    {
        var folder = Path.Combine(root, relative);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
