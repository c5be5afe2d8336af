using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;
using Reproduce.Data.Downloads;
using Reproduce.Data.IO;

namespace Reproduce.Data.Datasets;

/// <summary>
/// Picks the real source of a dataset from its manifest entry. A manifest <c>url</c> replaces the
/// source's default location (an NBIA API base, a repository, a mirror of the MedMNIST file, a
/// Kaggle API base), so a mirror or a test server can stand in. <c>local</c> and <c>synthetic</c>
/// are not fetched; the download stage handles them.
/// </summary>
public static class RawSources
{
    /// <param name="environment">Reads an environment variable (Kaggle credentials, <see cref="ArchiveLimits.MaxGibVariable"/>); injected so tests see only what they set.</param>
    public static IRawSource Create(DatasetSource dataset, Downloader downloader, ICellProgress progress, Func<string, string?> environment)
    {
        var url = dataset.Url is { } configured ? new Uri(configured) : null;
        var limits = ArchiveLimits.From(environment);
        return (dataset.Id, dataset.Source) switch
        {
            (Identifiers.Lidc, "nbia") => new NbiaLidcSource(url ?? NbiaLidcSource.DefaultApi, Require(dataset, dataset.Collection, "collection"), downloader, progress, limits),
            (Identifiers.Covid, "github") => new CovidCtSource(url ?? CovidCtSource.DefaultRepository, Require(dataset, dataset.Version, "version"), downloader, limits),
            (Identifiers.OrganSMnist, "zenodo") => new MedMnistSource(MedMnistFor(dataset, url), downloader),
            (Identifiers.Brain, "kaggle") => new KaggleHeadCtSource(dataset.Path, url ?? KaggleHeadCtSource.DefaultApi, dataset.Version, downloader, environment, limits),
            _ => throw new ArgumentException(
                $"dataset '{dataset.Id}' with source '{dataset.Source}' has no downloadable source here (local and synthetic data are handled by the download stage)",
                nameof(dataset)),
        };
    }

    private static MedMnistFile MedMnistFor(DatasetSource dataset, Uri? url)
    {
        var size = dataset.ImageSize ?? throw new ArgumentException($"dataset '{dataset.Id}' with source '{dataset.Source}' has no 'image_size'", nameof(dataset));
        var file = MedMnistCatalog.OrganSMnist(Require(dataset, dataset.Version, "version"), size);
        return url is null ? file : file with { Url = url };
    }

    /// <summary>A setting the manifest loader already requires for this source; its absence is a bug, not a user error.</summary>
    private static string Require(DatasetSource dataset, string? value, string key) =>
        value ?? throw new ArgumentException($"dataset '{dataset.Id}' with source '{dataset.Source}' has no '{key}'", nameof(dataset));
}
