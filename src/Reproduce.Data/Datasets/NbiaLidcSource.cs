using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Reproduce.Core.Errors;
using Reproduce.Core.Stages;
using Reproduce.Data.Dicom;
using Reproduce.Data.Downloads;
using Reproduce.Data.IO;

namespace Reproduce.Data.Datasets;

/// <summary>
/// LIDC-IDRI (or another TCIA collection) through the NBIA v4 API, which needs no login
/// (DATASETS.md §A1). Lists the collection's CT series (<c>getSeries</c>) and keeps the listing as
/// <c>series.json</c>, so a rerun fetches exactly the same series (delete it to list anew). Each
/// series zip (<c>getImage</c>) is downloaded into the staging folder (resumable), and its DICOM
/// entries, told by the "DICM" magic rather than by name (the zips also hold <c>LICENSE</c> and
/// reader-annotation XML), are unpacked into
/// <c>LIDC-IDRI/&lt;PatientID&gt;/&lt;StudyInstanceUID&gt;/&lt;SeriesInstanceUID&gt;/</c>; then the zip is
/// deleted (the collection is about 124 GB). A series folder appears by one rename, so one that
/// exists is complete and a rerun skips it. A series yielding no DICOM file (NBIA serves an empty
/// zip for an unknown UID) or fewer files than listed is recorded as a problem in the report.
/// <para>
/// The series zips are not listed among the report's files: NBIA builds them on the fly, so their
/// digests identify nothing; <c>series.json</c> is the record of what was fetched.
/// </para>
/// <para>
/// NBIA's v4 code maps the header <c>Authorization: Bearer undefined</c> to the guest user and, in
/// its Keycloak mode, fails on a missing header (read from the server code, untested against the
/// live server; today's clients send no header). So requests go without it, and only when the
/// server keeps answering 5xx after all retries is the request repeated once with it; if that works
/// the header is kept for the rest of the fetch.
/// </para>
/// </summary>
public sealed class NbiaLidcSource(Uri api, string collection, Downloader downloader, ICellProgress progress, ArchiveLimits? limits = null) : IRawSource
{
    public static readonly Uri DefaultApi = new("https://nbia.cancerimagingarchive.net/nbia-api/services/v4/");

    /// <summary>The file, in the raw directory, that keeps the series listing the fetch used.</summary>
    public const string ListingFile = "series.json";

    private const string Modality = "CT";

    private static readonly AuthenticationHeaderValue GuestHeader = new("Bearer", "undefined");

    private readonly Uri api = api.AbsoluteUri.EndsWith('/') ? api : new Uri(api.AbsoluteUri + "/");

    /// <summary>The guest header once the server has been found to need it (see the class remarks).</summary>
    private AuthenticationHeaderValue? authorization;

    private Uri ListingUrl => new(api, $"getSeries?Collection={Uri.EscapeDataString(collection)}&Modality={Modality}");

    public async Task<FetchReport> FetchAsync(string directory, CancellationToken cancellationToken)
    {
        var staging = new StagingFolder(directory, limits ?? ArchiveLimits.Default);
        var files = new List<DownloadedFile>();
        var listing = Path.Combine(directory, ListingFile);
        IReadOnlyList<NbiaSeries> series;
        if (File.Exists(listing))
        {
            series = NbiaSeries.ParseListing(await File.ReadAllTextAsync(listing, cancellationToken), listing);
        }
        else
        {
            var (list, file) = await ListAsync(staging, cancellationToken);
            File.Move(file.Path, listing);
            files.Add(file with { Path = listing });
            series = list;
        }

        var problems = new JsonArray();
        int present = 0, downloaded = 0, images = 0;
        long bytes = 0;
        foreach (var (item, index) in series.Select((item, index) => (item, index)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var folder = Path.Combine(directory, RawLayouts.LidcCollectionFolder, item.PatientId, item.StudyInstanceUid, item.SeriesInstanceUid);
            string? problem = null;
            if (!Directory.Exists(folder))
            {
                (var zipBytes, problem) = await FetchSeriesAsync(item, folder, staging, cancellationToken);
                bytes += zipBytes;
                downloaded += problem is null ? 1 : 0;
            }

            if (problem is null)
            {
                var count = Directory.EnumerateFiles(folder).Count();
                present++;
                images += count;
                problem = item.ImageCount is { } listed && listed != count
                    ? $"the listing has {listed} images, the series folder holds {count} DICOM files"
                    : null;
            }

            if (problem is not null)
            {
                problems.Add(new JsonObject { ["series"] = item.SeriesInstanceUid, ["patient"] = item.PatientId, ["problem"] = problem });
            }

            progress.Report(index + 1, series.Count, "series");
        }

        if (present == 0 && problems.Count > 0)
        {
            throw new DownloadException(ListingUrl, $"none of the {series.Count} listed series of collection '{collection}' yielded a DICOM file; the first: {problems[0]!["series"]}: {problems[0]!["problem"]}");
        }

        staging.Remove();
        return new FetchReport(files, new JsonObject
        {
            ["source"] = "nbia",
            ["api"] = api.ToString(),
            ["collection"] = collection,
            ["modality"] = Modality,
            ["series_listed"] = series.Count,
            ["series_present"] = present,
            ["series_downloaded"] = downloaded,
            ["images"] = images,
            ["bytes_downloaded"] = bytes,
            ["guest_header"] = authorization is not null,
            ["problems"] = problems,
        });
    }

    private async Task<(IReadOnlyList<NbiaSeries> Series, DownloadedFile File)> ListAsync(StagingFolder staging, CancellationToken cancellationToken)
    {
        var url = ListingUrl;
        var file = await DownloadAsync(new DownloadRequest(url, staging.File(ListingFile)), cancellationToken);
        var json = await File.ReadAllTextAsync(file.Path, cancellationToken);
        try
        {
            // NBIA answers a query without matches with HTTP 200 and an empty body, not "[]".
            var series = string.IsNullOrWhiteSpace(json) ? [] : NbiaSeries.ParseListing(json, url.ToString());
            return series.Count > 0 ? (series, file)
                : throw new DownloadException(url, $"NBIA lists no {Modality} series in collection '{collection}' (an empty answer): check the collection name, e.g. LIDC-IDRI");
        }
        catch
        {
            File.Delete(file.Path);
            throw;
        }
    }

    /// <summary>Downloads one series zip and unpacks its DICOM entries into place; returns the bytes fetched and the problem, if the series is unusable.</summary>
    private async Task<(long Bytes, string? Problem)> FetchSeriesAsync(NbiaSeries series, string folder, StagingFolder staging, CancellationToken cancellationToken)
    {
        var url = new Uri(api, $"getImage?SeriesInstanceUID={Uri.EscapeDataString(series.SeriesInstanceUid)}");
        var file = await DownloadAsync(new DownloadRequest(url, staging.File($"{series.SeriesInstanceUid}.zip")), cancellationToken);
        try
        {
            if (file.Bytes == 0)
            {
                return (0, "the server sent an empty answer instead of a zip");
            }

            var (extracted, count) = staging.Extract(file.Path, series.SeriesInstanceUid, IsDicom);
            if (count == 0)
            {
                Directory.Delete(extracted, recursive: true);
                return (file.Bytes, "the zip holds no DICOM file (NBIA sends an empty zip for an unknown SeriesInstanceUID)");
            }

            StagingFolder.MoveIntoPlace(extracted, folder);
            return (file.Bytes, null);
        }
        finally
        {
            File.Delete(file.Path);
        }
    }

    /// <summary>Whether an entry is a DICOM Part-10 file: "DICM" at bytes 128–131, whatever its name.</summary>
    private static bool IsDicom(ZipArchiveEntry entry)
    {
        if (entry.Length < DicomFile.PrefixLength)
        {
            return false;
        }

        using var stream = entry.Open();
        return DicomFile.StartsAsPart10(stream);
    }

    /// <summary>
    /// Downloads with the Downloader's retries; when the server still answers 5xx, repeats the request
    /// once with the guest header (class remarks) and keeps it if that works.
    /// </summary>
    private async Task<DownloadedFile> DownloadAsync(DownloadRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await downloader.DownloadAsync(request with { Authorization = authorization }, cancellationToken);
        }
        catch (DownloadException error) when (IsServerError(error) && authorization is null)
        {
            progress.Message($"{request.Url}: the server keeps answering {error.InnerException!.Message}; trying once more with 'Authorization: {GuestHeader}'");
            try
            {
                var file = await downloader.DownloadAsync(request with { Authorization = GuestHeader }, cancellationToken);
                authorization = GuestHeader;
                return file;
            }
            catch (DownloadException again) when (IsServerError(again))
            {
                throw ServerFailing(request.Url, again);
            }
        }
        catch (DownloadException error) when (IsServerError(error))
        {
            throw ServerFailing(request.Url, error);
        }
    }

    private static bool IsServerError(DownloadException error) =>
        error.InnerException is HttpRequestException { StatusCode: { } status } && (int)status >= 500;

    private static DownloadException ServerFailing(Uri url, DownloadException error) => new(
        url,
        $"the NBIA server kept answering {error.InnerException!.Message} after every retry, with and without the header 'Authorization: {GuestHeader}' "
        + "(which NBIA's v4 code maps to the guest user; DATASETS.md §A1): the service is probably down, try again later",
        error);
}
