using System.Text.Json.Nodes;
using Reproduce.Data.Downloads;

namespace Reproduce.Data.Datasets;

/// <summary>
/// A real source of one dataset (NBIA, GitHub, Zenodo, Kaggle): brings the raw files into the
/// dataset's <see cref="RawLayouts"/> layout under a directory. Fetching resumes: files that are
/// already there and complete are kept, a cut transfer continues, and nothing half-written is left
/// where the reader would take it for data.
/// </summary>
public interface IRawSource
{
    Task<FetchReport> FetchAsync(string directory, CancellationToken cancellationToken);
}

/// <summary>What a fetch did: the verified files it downloaded (digests go into meta.json) and source details (series count, versions).</summary>
public sealed record FetchReport(IReadOnlyList<DownloadedFile> Files, JsonObject Details);
