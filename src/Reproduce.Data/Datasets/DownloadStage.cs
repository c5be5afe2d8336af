using System.Text.Json.Nodes;
using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Data.Datasets.Synthetic;
using Reproduce.Data.Downloads;
using Reproduce.Data.Store;

namespace Reproduce.Data.Datasets;

/// <summary>
/// The download stage: one cell per dataset. A synthetic stand-in is generated into the cell; a real
/// source is fetched (resumable, verified) into <c>&lt;data&gt;/&lt;dataset&gt;/&lt;source&gt;</c>; a
/// local folder is used where it is. In every case the raw files are then opened with the dataset's
/// reader, so a download that is not in the expected layout fails here, not in preprocessing. The source is
/// read from the cell's spec (<see cref="DownloadCell"/>), never from a manifest.
/// </summary>
public sealed class DownloadStage(HttpClient http, RetryPolicy retry, Func<string, string?> environment) : IStage
{
    public StageDescriptor Descriptor { get; } = new(StageNames.Download, Version: 1);

    public async Task<StageResult> RunAsync(CellContext context, CancellationToken cancellationToken)
    {
        var dataset = DownloadCell.Source(context.Parameters, context.Inputs, context.Locations);
        RawLocation location;
        var details = new JsonObject { ["source"] = dataset.Source };
        switch (dataset.Source)
        {
            case Identifiers.Synthetic:
                location = new RawLocation(RawLocation.InCell, "raw");
                SyntheticDatasets.Write(dataset.Id, dataset.Synthetic!, context.Parameters["seed"]!.GetValue<long>(), location.Resolve(context.WorkDirectory, context.Roots), context.Progress);
                break;
            case "local":
                location = new RawLocation(RawLocation.External, LocalFolder(dataset));
                break;
            default:
                location = new RawLocation(RawLocation.UnderDataRoot, $"{dataset.Id}/{FolderName(dataset)}");
                var downloader = new Downloader(http, retry, context.Clock, context.Progress);
                var report = await RawSources.Create(dataset, downloader, context.Progress, environment)
                    .FetchAsync(location.Resolve(context.WorkDirectory, context.Roots), cancellationToken);
                details["files"] = new JsonArray(report.Files.Select(f => (JsonNode)new JsonObject
                {
                    ["path"] = Path.GetRelativePath(context.Roots.Data, f.Path).Replace('\\', '/'),
                    ["bytes"] = f.Bytes,
                    ["sha256"] = f.Sha256,
                }).ToArray());
                details["fetch"] = report.Details;
                break;
        }

        var directory = location.Resolve(context.WorkDirectory, context.Roots);
        var raw = RawDataset.Open(dataset, directory);
        var items = raw.Batches().SelectMany(b => b.Items).ToList();
        if (items.Count == 0)
        {
            throw new DataFormatException(directory, $"dataset '{dataset.Id}' has no images in the expected layout");
        }

        if (raw is OrganSMnistNpz npz && dataset.Source == "zenodo")
        {
            npz.RequireCounts(MedMnistCatalog.OrganSMnist(dataset.Version!, dataset.ImageSize!.Value));
        }

        location.Write(context.WorkDirectory);
        details["splits"] = new JsonObject(items.GroupBy(i => i.Split).OrderBy(g => g.Key).Select(g => KeyValuePair.Create(StoreFiles.SplitName(g.Key), (JsonNode?)g.Count())));
        return new StageResult(new JsonObject { ["images"] = items.Count, ["listing_problems"] = raw.Skipped.Count }, details);
    }

    /// <summary>A local dataset's folder; when it is not there, how to get one (DATASETS.md §A4: the authors' Brain data are private).</summary>
    private static string LocalFolder(DatasetSource dataset)
    {
        var path = dataset.Path!;
        if (path.Resolved is { } folder && Directory.Exists(folder))
        {
            return folder;
        }

        var problem = path.Resolved is null
            ? $"its path is '{path.Raw}' and {string.Join(", ", path.UnsetVariables)} is not set"
            : $"the folder {path.Resolved} does not exist";
        throw new EnvironmentException(
            $"dataset '{dataset.Id}' is a local folder, but {problem}. The study's Brain data are private to Ulm University Medical Center: " +
            "point the path at a folder in their layout train|test/{a_without,b_with}, or set the dataset's source to 'kaggle' " +
            "(the public Head CT – hemorrhage stand-in) or 'synthetic'.");
    }

    /// <summary>The data-root folder of a real source: one per source and version, so versions never mix.</summary>
    private static string FolderName(DatasetSource dataset) =>
        string.Join('-', new[] { dataset.Source, dataset.Collection, dataset.Version, dataset.ImageSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Where(p => p is not null));
}
