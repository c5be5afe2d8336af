using System.Text.Json.Nodes;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;

namespace Reproduce.Data.Datasets;

/// <summary>
/// The dataset source of a download cell, read back from its key document (its parameters and input identity, as
/// <see cref="ExperimentGraph"/> wrote them) and its locations: the download stage computes from this, and the
/// preprocess stage reads its upstream download cell the same way, so neither needs the manifest.
/// </summary>
public static class DownloadCell
{
    public static DatasetSource Source(JsonObject parameters, JsonObject inputs, JsonObject locations) => new()
    {
        Id = parameters["dataset"]!.GetValue<string>(),
        Source = inputs["source"]!.GetValue<string>(),
        Url = (string?)inputs["url"],
        Collection = (string?)inputs["collection"],
        Version = (string?)inputs["version"],
        ImageSize = (int?)inputs["image_size"],
        Path = locations["path"] is { } path ? ExperimentGraph.ReadRecord<ConfiguredPath>(path) : null,
        Synthetic = parameters["synthetic"] is { } synthetic ? ExperimentGraph.ReadRecord<SyntheticSpec>(synthetic) : null,
    };
}
