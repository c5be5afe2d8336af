using System.Text.Json.Nodes;
using Reproduce.Core.Errors;
using Reproduce.Data.Datasets;
using static Reproduce.Data.Tests.Datasets.SourceTestBed;

namespace Reproduce.Data.Tests.Datasets;

/// <summary>The NBIA v4 source against a fake NBIA on 127.0.0.1: listing, series zips as NBIA builds them, reruns and failures.</summary>
public sealed class NbiaLidcSourceTests : IDisposable
{
    private const string Listing = "v4/getSeries?Collection=LIDC-IDRI&Modality=CT";

    private static readonly Series First = new("LIDC-IDRI-0001", "1.3.6.1.1", "1.3.6.1.1.2", 2);
    private static readonly Series Second = new("LIDC-IDRI-0002", "1.3.6.1.5", "1.3.6.1.5.6", 1);

    private readonly SourceTestBed bed = new();

    public void Dispose() => bed.Dispose();

    private NbiaLidcSource Source() => new(new Uri(bed.Server.BaseUrl, "v4"), "LIDC-IDRI", bed.Downloader, bed.Progress);

    private Task<FetchReport> Fetch() => Source().FetchAsync(bed.Raw, CancellationToken.None);

    private static string ImagePath(Series series) => $"v4/getImage?SeriesInstanceUID={series.Uid}";

    /// <summary>Any bytes after a 128-byte preamble and "DICM" pass for DICOM here.</summary>
    private static byte[] Dicom(int number) => [.. new byte[128], .. "DICM"u8, .. Text($"slice {number}")];

    /// <summary>Text longer than a DICOM prefix, so that only its content tells it from DICOM.</summary>
    private static byte[] LongText(string text) => Text(text + new string(' ', 200));

    /// <summary>A series zip as NBIA serves it: LICENSE first, the DICOM files, and a reader-annotation XML.</summary>
    private static byte[] SeriesZip(int slices) => Zip(
        [("LICENSE", LongText("Creative Commons Attribution 3.0")), .. Enumerable.Range(1, slices).Select(n => ($"{n:D8}.dcm", Dicom(n))), ("069.xml", LongText("<LidcReadMessage/>"))]);

    private static byte[] ListingOf(params Series[] series) => Text(new JsonArray([.. series.Select(s => new JsonObject
    {
        ["SeriesInstanceUID"] = s.Uid,
        ["StudyInstanceUID"] = s.Study,
        ["Modality"] = "CT",
        ["PatientID"] = s.Patient,
        ["ImageCount"] = s.Images,
        ["Collection"] = "LIDC-IDRI",
    })]).ToJsonString());

    private void ServeCollection(params Series[] series)
    {
        bed.Server.Serve(Listing, ListingOf(series));
        foreach (var s in series)
        {
            bed.Server.Serve(ImagePath(s), SeriesZip(s.Images));
        }
    }

    [Fact]
    public async Task FetchesEachSeriesIntoItsFolderKeepingOnlyTheDicomEntries()
    {
        ServeCollection(First, Second);

        var report = await Fetch();

        Assert.Equal(
            [
                "LIDC-IDRI/LIDC-IDRI-0001/1.3.6.1.1/1.3.6.1.1.2/00000001.dcm",
                "LIDC-IDRI/LIDC-IDRI-0001/1.3.6.1.1/1.3.6.1.1.2/00000002.dcm",
                "LIDC-IDRI/LIDC-IDRI-0002/1.3.6.1.5/1.3.6.1.5.6/00000001.dcm",
                "series.json",
            ],
            bed.RawFiles());
        Assert.Equal(Dicom(2), File.ReadAllBytes(Path.Combine(bed.Raw, "LIDC-IDRI/LIDC-IDRI-0001/1.3.6.1.1/1.3.6.1.1.2/00000002.dcm")));
        Assert.Equal(ListingOf(First, Second), File.ReadAllBytes(Path.Combine(bed.Raw, "series.json")));
        Assert.Equal(Path.Combine(bed.Raw, "series.json"), Assert.Single(report.Files).Path);
        Assert.Equal(
            """{"source":"nbia","collection":"LIDC-IDRI","modality":"CT","series_listed":2,"series_present":2,"series_downloaded":2,"images":3,"guest_header":false,"problems":[]}""",
            Without(report.Details, "api", "bytes_downloaded").ToJsonString());
        Assert.True(report.Details["bytes_downloaded"]!.GetValue<long>() > 0);
        Assert.Equal([(1, 2, "series"), (2, 2, "series")], bed.Progress.Reports.Where(r => r.Unit == "series"));
    }

    [Fact]
    public async Task DicomFilesAreToldByTheirContentNotByTheirName()
    {
        bed.Server.Serve(Listing, ListingOf(First with { Images = 1 }));
        bed.Server.Serve(ImagePath(First), Zip(("LICENSE", LongText("licence")), ("fake.dcm", LongText("not a DICOM file")), ("00000007", Dicom(7)), ("short.dcm", "DICM"u8.ToArray())));

        await Fetch();

        Assert.Equal(["LIDC-IDRI/LIDC-IDRI-0001/1.3.6.1.1/1.3.6.1.1.2/00000007", "series.json"], bed.RawFiles());
    }

    [Fact]
    public async Task AnEmptyListingIsAClearErrorNamingTheCollection()
    {
        bed.Server.Serve(Listing, []);

        var error = await Assert.ThrowsAsync<DownloadException>(Fetch);

        Assert.Contains("NBIA lists no CT series in collection 'LIDC-IDRI'", error.Message);
        Assert.Empty(bed.RawFiles());
    }

    [Fact]
    public async Task ARerunSkipsTheSeriesAlreadyThereAndKeepsTheListing()
    {
        ServeCollection(First, Second);
        await Fetch();
        Directory.Delete(Path.Combine(bed.Raw, "LIDC-IDRI", Second.Patient), recursive: true);

        var report = await Fetch();

        Assert.Equal(1, bed.Server.Requests[Listing]);
        Assert.Equal(1, bed.Server.Requests[ImagePath(First)]);
        Assert.Equal(2, bed.Server.Requests[ImagePath(Second)]);
        Assert.Empty(report.Files);
        Assert.Equal((2, 1, 3), (report.Details["series_present"]!.GetValue<int>(), report.Details["series_downloaded"]!.GetValue<int>(), report.Details["images"]!.GetValue<int>()));
    }

    [Fact]
    public async Task ACutSeriesTransferResumes()
    {
        bed.Server.Serve(Listing, ListingOf(First));
        bed.Server.Serve(ImagePath(First), SeriesZip(First.Images), cutFirstAfter: 100);

        await Fetch();

        Assert.Contains("bytes=100-", bed.Server.RangesAsked);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(bed.Raw, "LIDC-IDRI", First.Patient, First.Study, First.Uid)).Length);
    }

    [Fact]
    public async Task AServerErrorIsRetried()
    {
        bed.Server.Serve(Listing, ListingOf(First), failFirst: 1);
        bed.Server.Serve(ImagePath(First), SeriesZip(First.Images), failFirst: 2);

        var report = await Fetch();

        Assert.Equal((2, 3), (bed.Server.Requests[Listing], bed.Server.Requests[ImagePath(First)]));
        Assert.Equal(2, report.Details["images"]!.GetValue<int>());
        Assert.DoesNotContain("Bearer undefined", bed.Server.AuthorizationsSent);
    }

    [Fact]
    public async Task AServerThatNeedsTheGuestHeaderGetsIt()
    {
        bed.Server.Serve(Listing, ListingOf(First), requireAuthorization: "Bearer undefined", refuseWith: 500);
        bed.Server.Serve(ImagePath(First), SeriesZip(First.Images), requireAuthorization: "Bearer undefined", refuseWith: 500);

        var report = await Fetch();

        Assert.True(report.Details["guest_header"]!.GetValue<bool>());
        Assert.Equal(2, report.Details["images"]!.GetValue<int>());
        Assert.Equal(1, bed.Server.Requests[ImagePath(First)]);
        Assert.Contains(bed.Progress.Messages, m => m.Contains("trying once more with 'Authorization: Bearer undefined'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PersistentServerErrorsEndWithTheGuestHeaderHint()
    {
        bed.Server.Serve(Listing, ListingOf(First), failFirst: 1000);

        var error = await Assert.ThrowsAsync<DownloadException>(Fetch);

        Assert.StartsWith($"{new Uri(bed.Server.BaseUrl, Listing)}: the NBIA server kept answering HTTP 500", error.Message);
        Assert.Contains("with and without the header 'Authorization: Bearer undefined'", error.Message);
        Assert.Equal(6, bed.Server.Requests[Listing]);
        Assert.False(File.Exists(Path.Combine(bed.Raw, "series.json")));
    }

    [Fact]
    public async Task AZipEntryEscapingTheSeriesFolderIsRejectedAndNothingIsLeft()
    {
        bed.Server.Serve(Listing, ListingOf(First));
        bed.Server.Serve(ImagePath(First), Zip(("00000001.dcm", Dicom(1)), ("../evil.dcm", Dicom(2))));

        var error = await Assert.ThrowsAsync<DataFormatException>(Fetch);

        Assert.Contains("entry '../evil.dcm' would be written outside the extraction folder", error.Message);
        Assert.Empty(Directory.GetFiles(bed.Temp.Path, "evil.dcm", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(bed.Temp.Path, "*.zip", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(bed.Raw, "LIDC-IDRI")));
    }

    [Fact]
    public async Task UnusableSeriesAreRecordedAsProblemsAndTriedAgainNextTime()
    {
        var empty = new Series("LIDC-IDRI-0003", "1.3.6.1.7", "9.9.9", 0);
        var licenceOnly = new Series("LIDC-IDRI-0004", "1.3.6.1.8", "1.3.6.1.8.1", 3);
        var noBody = new Series("LIDC-IDRI-0005", "1.3.6.1.9", "1.3.6.1.9.1", 3);
        var short1 = Second with { Images = 4 };
        bed.Server.Serve(Listing, ListingOf(First, empty, licenceOnly, noBody, short1));
        bed.Server.Serve(ImagePath(First), SeriesZip(2));
        bed.Server.Serve(ImagePath(empty), Zip());
        bed.Server.Serve(ImagePath(licenceOnly), Zip(("LICENSE", LongText("licence"))));
        bed.Server.Serve(ImagePath(noBody), []);
        bed.Server.Serve(ImagePath(short1), SeriesZip(1));

        var report = await Fetch();
        await Fetch();

        Assert.Equal(
            [
                "9.9.9: the zip holds no DICOM file (NBIA sends an empty zip for an unknown SeriesInstanceUID)",
                "1.3.6.1.8.1: the zip holds no DICOM file (NBIA sends an empty zip for an unknown SeriesInstanceUID)",
                "1.3.6.1.9.1: the server sent an empty answer instead of a zip",
                "1.3.6.1.5.6: the listing has 4 images, the series folder holds 1 DICOM files",
            ],
            report.Details["problems"]!.AsArray().Select(p => $"{p!["series"]}: {p["problem"]}"));
        Assert.Equal((2, 3), (report.Details["series_present"]!.GetValue<int>(), report.Details["images"]!.GetValue<int>()));
        Assert.Equal((2, 1), (bed.Server.Requests[ImagePath(empty)], bed.Server.Requests[ImagePath(short1)]));
        Assert.False(Directory.Exists(Path.Combine(bed.Raw, "LIDC-IDRI", empty.Patient)));
    }

    [Fact]
    public async Task ACollectionWithoutAnyUsableSeriesIsAnError()
    {
        var empty = First with { Images = 0 };
        bed.Server.Serve(Listing, ListingOf(empty));
        bed.Server.Serve(ImagePath(empty), Zip());

        var error = await Assert.ThrowsAsync<DownloadException>(Fetch);

        Assert.Contains("none of the 1 listed series of collection 'LIDC-IDRI' yielded a DICOM file; the first: 1.3.6.1.1.2: the zip holds no DICOM file", error.Message);
    }

    [Theory]
    [InlineData("../LIDC-IDRI-0001")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("LIDC IDRI")]
    [InlineData("LIDC-IDRI-0001\n")]
    [InlineData("")]
    public async Task AnIdentifierThatIsNoPlainFolderNameIsRejectedBeforeAnyDownload(string patient)
    {
        ServeCollection(First with { Patient = patient });

        var error = await Assert.ThrowsAsync<DataFormatException>(Fetch);

        Assert.Contains("has PatientID", error.Message);
        Assert.Contains("which is not usable as a folder name", error.Message);
        Assert.DoesNotContain(bed.Server.Requests.Keys, k => k.Contains("getImage", StringComparison.Ordinal));
        Assert.Empty(bed.RawFiles());
    }

    [Fact]
    public async Task AListingThatIsNotJsonNamesTheUrl()
    {
        bed.Server.Serve(Listing, Text("<html>maintenance</html>"));

        var error = await Assert.ThrowsAsync<DataFormatException>(Fetch);

        Assert.StartsWith($"{new Uri(bed.Server.BaseUrl, Listing)}: the series listing is not valid JSON", error.Message);
    }

    private static JsonObject Without(JsonObject details, params string[] keys)
    {
        var copy = details.DeepClone().AsObject();
        foreach (var key in keys)
        {
            copy.Remove(key);
        }

        return copy;
    }

    private sealed record Series(string Patient, string Study, string Uid, int Images);
}
