using System.Text.Json.Nodes;
using Reproduce.Core.Errors;
using Reproduce.Data.Downloads;
using Reproduce.Data.IO;

namespace Reproduce.Data.Datasets;

/// <summary>
/// COVID-CT from its GitHub repository at one version (branch or commit; DATASETS.md §A2): the six
/// official split lists and the two image zips, fetched as <c>{repository}/raw/{version}/{path}</c>
/// into the repository's own paths. Each zip is kept beside the folder it is unpacked into
/// (<c>Images-processed/CT_COVID.zip</c> → <c>Images-processed/CT_COVID/</c>, inner structure as
/// in the zip): the repository publishes no checksums, so the report's SHA-256s are the record,
/// and a kept zip can be unpacked again without a download. A list file or an unpacked folder that
/// is already there is complete (both appear by one rename) and kept. The report also counts the
/// listed names not found below their class folder, as a check that the lists match the images.
/// </summary>
public sealed class CovidCtSource(Uri repository, string version, Downloader downloader, ArchiveLimits? limits = null) : IRawSource
{
    public static readonly Uri DefaultRepository = new("https://github.com/UCSD-AI4H/COVID-CT");

    private static readonly IReadOnlyList<(string Folder, bool Covid)> Classes =
        [(RawLayouts.CovidPositiveFolder, true), (RawLayouts.CovidNegativeFolder, false)];

    public async Task<FetchReport> FetchAsync(string directory, CancellationToken cancellationToken)
    {
        var staging = new StagingFolder(directory, limits ?? ArchiveLimits.Default);
        var files = new List<DownloadedFile>();
        var kept = new JsonArray();
        foreach (var list in Classes.SelectMany(c => RawLayouts.CovidSplits.Select(split => RawLayouts.CovidSplitList(c.Covid, split))))
        {
            var destination = Path.Combine(directory, list);
            if (File.Exists(destination))
            {
                kept.Add(list);
                continue;
            }

            files.Add(await downloader.DownloadAsync(new DownloadRequest(RawFileUrl(repository, version, list), destination), cancellationToken));
        }

        foreach (var (folder, _) in Classes)
        {
            var relative = $"{RawLayouts.CovidImagesFolder}/{folder}";
            var target = Path.Combine(directory, relative);
            if (Directory.Exists(target))
            {
                kept.Add(relative);
                continue;
            }

            var archive = Path.Combine(directory, $"{relative}.zip");
            if (File.Exists(archive))
            {
                kept.Add($"{relative}.zip");
            }
            else
            {
                files.Add(await downloader.DownloadAsync(new DownloadRequest(RawFileUrl(repository, version, $"{relative}.zip"), archive), cancellationToken));
            }

            var (extracted, count) = staging.Extract(archive, folder, StagingFolder.IsContent);
            if (count == 0)
            {
                Directory.Delete(extracted, recursive: true);
                throw new DataFormatException(archive, "the archive holds no files");
            }

            StagingFolder.MoveIntoPlace(extracted, target);
        }

        staging.Remove();
        return new FetchReport(files, Describe(directory, kept));
    }

    /// <summary>The URL of a file of the repository at the version; every path segment is escaped (file names hold '%').</summary>
    internal static Uri RawFileUrl(Uri repository, string version, string path) =>
        new($"{repository.AbsoluteUri.TrimEnd('/')}/raw/{EscapeSegments(version)}/{EscapeSegments(path)}");

    private static string EscapeSegments(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private JsonObject Describe(string directory, JsonArray kept)
    {
        var images = new JsonObject();
        var lists = new JsonObject();
        var notFound = new JsonArray();
        foreach (var (folder, covid) in Classes)
        {
            var names = Directory.EnumerateFiles(Path.Combine(directory, RawLayouts.CovidImagesFolder, folder), "*", SearchOption.AllDirectories)
                .Select(Path.GetFileName)
                .ToHashSet(StringComparer.Ordinal);
            images[folder] = names.Count;
            foreach (var list in RawLayouts.CovidSplits.Select(split => RawLayouts.CovidSplitList(covid, split)))
            {
                var listed = File.ReadLines(Path.Combine(directory, list)).Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
                lists[list] = listed.Count;
                foreach (var name in listed.Where(name => !names.Contains(name)))
                {
                    notFound.Add($"{folder}/{name}");
                }
            }
        }

        return new JsonObject
        {
            ["source"] = "github",
            ["repository"] = repository.ToString(),
            ["version"] = version,
            ["images"] = images,
            ["lists"] = lists,
            ["listed_not_found"] = notFound,
            ["kept"] = kept,
        };
    }
}
