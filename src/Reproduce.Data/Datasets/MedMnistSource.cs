using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Reproduce.Data.Downloads;

namespace Reproduce.Data.Datasets;

/// <summary>
/// One OrganSMNIST npz from Zenodo (DATASETS.md §A3), saved as <see cref="RawLayouts.OrganSMnistFile"/>
/// and verified against the published MD5: a mismatch deletes the download (the Downloader moves a
/// file into place only once verified). A file already in place is kept only if its MD5 matches,
/// since v2 and v3 share the 28 px file name.
/// </summary>
public sealed class MedMnistSource(MedMnistFile file, Downloader downloader) : IRawSource
{
    public async Task<FetchReport> FetchAsync(string directory, CancellationToken cancellationToken)
    {
        var destination = Path.Combine(directory, RawLayouts.OrganSMnistFile(file.ImageSize));
        var kept = File.Exists(destination) && string.Equals(await Md5Async(destination, cancellationToken), file.Md5, StringComparison.OrdinalIgnoreCase);
        IReadOnlyList<DownloadedFile> files = kept ? [] : [await downloader.DownloadAsync(new DownloadRequest(file.Url, destination) { Md5 = file.Md5 }, cancellationToken)];
        return new FetchReport(files, new JsonObject
        {
            ["source"] = "zenodo",
            ["version"] = file.Version,
            ["image_size"] = file.ImageSize,
            ["url"] = file.Url.ToString(),
            ["md5"] = file.Md5,
            ["expected_counts"] = new JsonObject { ["train"] = file.Counts.Train, ["val"] = file.Counts.Validation, ["test"] = file.Counts.Test },
            ["kept"] = kept,
        });
    }

    private static async Task<string> Md5Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await MD5.HashDataAsync(stream, cancellationToken));
    }
}
