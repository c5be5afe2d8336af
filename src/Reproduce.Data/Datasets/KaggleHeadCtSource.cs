using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Data.Downloads;
using Reproduce.Data.IO;

namespace Reproduce.Data.Datasets;

/// <summary>
/// The public stand-in for the authors' private Brain set: Kaggle "Head CT – hemorrhage"
/// (DATASETS.md §A4), brought into the layout <c>head_ct/NNN.png</c> + <c>labels.csv</c>. Where
/// from, in this order: the manifest's <c>path</c> (a zip as Kaggle serves it, or a folder holding
/// it unpacked); an archive an earlier run downloaded; the Kaggle API with the user's credentials
/// (<c>KAGGLE_USERNAME</c> + <c>KAGGLE_KEY</c>, or <c>kaggle.json</c> as the Kaggle CLI finds it),
/// since Kaggle allows no anonymous download. Without any of these the error says how to get it.
/// <para>
/// Kaggle's zip nests the images (<c>head_ct/head_ct/*.png</c>) and copies of it may sit one folder
/// down, so the <c>labels.csv</c> and the <c>head_ct</c> folder that holds the PNGs are looked up
/// to two levels deep and moved to the top. A local folder is copied, not used in place: the set is
/// 25 MB, and a copy leaves the user's folder untouched whatever its nesting while the raw
/// directory holds the one layout the reader knows. A downloaded archive is kept beside the layout
/// so its SHA-256 stays checkable; the key is sent only in the request header and never logged. A
/// manifest <c>version</c> pins the Kaggle dataset version (<c>datasetVersionNumber</c>).
/// </para>
/// </summary>
public sealed class KaggleHeadCtSource(ConfiguredPath? path, Uri api, string? version, Downloader downloader, Func<string, string?> environment, ArchiveLimits? limits = null) : IRawSource
{
    public static readonly Uri DefaultApi = new("https://www.kaggle.com/api/v1/");

    /// <summary>Where a download from the Kaggle API is kept, in the raw directory.</summary>
    public const string ArchiveFile = "head-ct-hemorrhage.zip";

    private const string DatasetReference = "felipekitamura/head-ct-hemorrhage";

    private const string DatasetPage = "https://www.kaggle.com/datasets/felipekitamura/head-ct-hemorrhage";

    /// <summary>How to provide the data when none of the ways in the class remarks is available.</summary>
    private const string HowToObtain =
        "the Brain task's public stand-in, Kaggle \"Head CT - hemorrhage\", needs a Kaggle account (no anonymous download). Either "
        + "(1) download it from " + DatasetPage + " or with `kaggle datasets download -d " + DatasetReference + "`, and set the dataset's "
        + "`path:` in the manifest (or the environment variable BRAIN_DATA it refers to) to the zip or to its unpacked folder; or "
        + "(2) set KAGGLE_USERNAME and KAGGLE_KEY (or put kaggle.json in ~/.kaggle or $KAGGLE_CONFIG_DIR) so it is downloaded; or "
        + "(3) use source: local with a folder in the layout train|test/{a_without,b_with}/*.png "
        + "(the authors' own Brain data is internal to Ulm University Medical Center and not public)";

    private static EnumerationOptions TwoLevelsDown => new() { RecurseSubdirectories = true, MaxRecursionDepth = 2, MatchCasing = MatchCasing.CaseSensitive };

    private Uri DownloadUrl => new(
        api.AbsoluteUri.EndsWith('/') ? api : new Uri(api.AbsoluteUri + "/"),
        $"datasets/download/{DatasetReference}" + (version is null ? "" : $"?datasetVersionNumber={Uri.EscapeDataString(version)}"));

    public async Task<FetchReport> FetchAsync(string directory, CancellationToken cancellationToken)
    {
        var images = Path.Combine(directory, RawLayouts.KaggleImageFolder);
        var labels = Path.Combine(directory, RawLayouts.KaggleLabels);
        var files = new List<DownloadedFile>();
        var details = new JsonObject { ["source"] = "kaggle", ["dataset"] = DatasetReference };
        if (Directory.Exists(images) && File.Exists(labels))
        {
            details["kept"] = true;
        }
        else
        {
            var staging = new StagingFolder(directory, limits ?? ArchiveLimits.Default);
            var (root, source, copy) = await ObtainAsync(directory, staging, details, files, cancellationToken);
            var (foundLabels, foundImages) = Locate(root, source);
            if (copy)
            {
                var copied = staging.File(RawLayouts.KaggleImageFolder);
                Directory.CreateDirectory(copied);
                foreach (var image in Directory.EnumerateFiles(foundImages))
                {
                    File.Copy(image, Path.Combine(copied, Path.GetFileName(image)));
                }

                File.Copy(foundLabels, staging.File(RawLayouts.KaggleLabels), overwrite: true);
                (foundImages, foundLabels) = (copied, staging.File(RawLayouts.KaggleLabels));
            }

            // The labels move last: both present is what marks the layout complete.
            StagingFolder.MoveIntoPlace(foundImages, images);
            File.Move(foundLabels, labels, overwrite: true);
            staging.Remove();
            details["kept"] = false;
        }

        details["images"] = Directory.EnumerateFiles(images, "*.png").Count();
        return new FetchReport(files, details);
    }

    /// <summary>Finds the data and returns the folder to take it from, its name for errors, and whether it must be copied (a user's folder) or may be moved (unpacked in staging).</summary>
    private async Task<(string Root, string Source, bool Copy)> ObtainAsync(
        string directory, StagingFolder staging, JsonObject details, List<DownloadedFile> files, CancellationToken cancellationToken)
    {
        if (path?.Resolved is { } configured)
        {
            var local = Path.GetFullPath(configured);
            details["from"] = local;
            if (Directory.Exists(local))
            {
                return (local, local, true);
            }

            if (!File.Exists(local))
            {
                throw new EnvironmentException($"the Brain dataset's path {local} does not exist; {HowToObtain}");
            }

            details["archive_sha256"] = await Sha256Async(local, cancellationToken);
            return (staging.Extract(local, "unpacked", StagingFolder.IsContent).Folder, local, false);
        }

        var archive = Path.Combine(directory, ArchiveFile);
        details["from"] = DownloadUrl.ToString();
        if (!File.Exists(archive))
        {
            var unset = path is { Resolved: null } ? $" (the dataset's path '{path.Raw}' is unusable: {string.Join(", ", path.UnsetVariables)} not set)" : "";
            var (header, origin) = FindCredentials() ?? throw new EnvironmentException($"no Brain data{unset}: {HowToObtain}");
            files.Add(await DownloadAsync(archive, header, origin, cancellationToken));
        }

        return (staging.Extract(archive, "unpacked", StagingFolder.IsContent).Folder, archive, false);
    }

    private async Task<DownloadedFile> DownloadAsync(string archive, AuthenticationHeaderValue header, string origin, CancellationToken cancellationToken)
    {
        var url = DownloadUrl;
        try
        {
            return await downloader.DownloadAsync(new DownloadRequest(url, archive) { Authorization = header }, cancellationToken);
        }
        catch (DownloadException error) when (error.InnerException is HttpRequestException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } refused)
        {
            throw new DownloadException(url, $"Kaggle refused the credentials from {origin} ({refused.Message}): check the user name and API key, and that the account can open {DatasetPage}", error);
        }
    }

    /// <summary>The credentials the Kaggle CLI would use: the environment first, then kaggle.json; null when there are none.</summary>
    private (AuthenticationHeaderValue Header, string Origin)? FindCredentials()
    {
        if (environment("KAGGLE_USERNAME") is { Length: > 0 } user && environment("KAGGLE_KEY") is { Length: > 0 } key)
        {
            return (Basic(user, key), "KAGGLE_USERNAME/KAGGLE_KEY");
        }

        var folder = environment("KAGGLE_CONFIG_DIR")
            ?? ((environment("HOME") ?? environment("USERPROFILE")) is { } home ? Path.Combine(home, ".kaggle") : null);
        var file = folder is null ? null : Path.Combine(folder, "kaggle.json");
        if (file is null || !File.Exists(file))
        {
            return null;
        }

        JsonNode? json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(file));
        }
        catch (JsonException e)
        {
            // The parser's message may quote the content, which holds the key.
            throw new DataFormatException(file, $"not valid JSON (line {e.LineNumber + 1}); expected {{\"username\": …, \"key\": …}}");
        }

        return json?["username"] is JsonValue name && name.TryGetValue<string>(out var username)
            && json["key"] is JsonValue secret && secret.TryGetValue<string>(out var apiKey)
            ? (Basic(username, apiKey), file)
            : throw new DataFormatException(file, "expected string keys 'username' and 'key' (the file the Kaggle site's 'Create New Token' gives)");
    }

    private static AuthenticationHeaderValue Basic(string user, string key) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{key}")));

    /// <summary>The one <c>labels.csv</c> and the one <c>head_ct</c> folder holding PNGs, up to two levels below <paramref name="root"/>.</summary>
    private static (string Labels, string Images) Locate(string root, string source)
    {
        var labels = Directory.GetFiles(root, RawLayouts.KaggleLabels, TwoLevelsDown);
        var images = Directory.GetDirectories(root, RawLayouts.KaggleImageFolder, TwoLevelsDown)
            .Where(folder => Directory.EnumerateFiles(folder, "*.png").Any())
            .ToArray();
        if (labels.Length == 1 && images.Length == 1)
        {
            return (labels[0], images[0]);
        }

        var found = $"found {labels.Length} {RawLayouts.KaggleLabels} and {images.Length} {RawLayouts.KaggleImageFolder} folders of PNGs";
        throw new DataFormatException(source, labels.Length > 1 || images.Length > 1
            ? $"{found}, expected one of each: which is the data set is ambiguous"
            : $"{found}: not the Kaggle \"Head CT - hemorrhage\" layout ({RawLayouts.KaggleImageFolder}/NNN.png and {RawLayouts.KaggleLabels}, possibly nested one level); "
              + "for the authors' layout train|test/{a_without,b_with} use source: local");
    }

    private static async Task<string> Sha256Async(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
