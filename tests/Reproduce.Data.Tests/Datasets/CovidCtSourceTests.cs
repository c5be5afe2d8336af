using Reproduce.Data.Datasets;
using static Reproduce.Data.Tests.Datasets.SourceTestBed;

namespace Reproduce.Data.Tests.Datasets;

/// <summary>The COVID-CT source against a fake GitHub on 127.0.0.1 serving the eight files of the repository it needs.</summary>
public sealed class CovidCtSourceTests : IDisposable
{
    private const string Raw = "UCSD-AI4H/COVID-CT/raw/master/";

    private static readonly Dictionary<string, string> Lists = new()
    {
        ["Data-split/COVID/trainCT_COVID.txt"] = "2020.02.25.20021568-p24-111%7.png\n2020.03.13.20035212-p23-153.png\n",
        ["Data-split/COVID/valCT_COVID.txt"] = "2020.02.26.20027938-p6-80_2%1.png\n",
        ["Data-split/COVID/testCT_COVID.txt"] = "2020.03.16.20035105-p6-64-1.png\n",
        ["Data-split/NonCOVID/trainCT_NonCOVID.txt"] = "84%3.jpg\n2140.png\n",
        ["Data-split/NonCOVID/valCT_NonCOVID.txt"] = "39%0.jpg\n",
        ["Data-split/NonCOVID/testCT_NonCOVID.txt"] = "65%4.jpg\n",
    };

    /// <summary>The positive zip holds a top folder and macOS metadata; the negative one holds the files at its root.</summary>
    private static readonly byte[] CovidZip = Zip(
        ("CT_COVID/2020.02.25.20021568-p24-111%7.png", Text("a")),
        ("CT_COVID/2020.03.13.20035212-p23-153.png", Text("b")),
        ("CT_COVID/2020.02.26.20027938-p6-80_2%1.png", Text("c")),
        ("CT_COVID/2020.03.16.20035105-p6-64-1.png", Text("d")),
        ("__MACOSX/CT_COVID/._2020.03.16.20035105-p6-64-1.png", Text("resource fork")));

    private static readonly byte[] NonCovidZip = Zip(("84%3.jpg", Text("e")), ("2140.png", Text("f")), ("39%0.jpg", Text("g")), ("65%4.jpg", Text("h")));

    private readonly SourceTestBed bed = new();

    public CovidCtSourceTests()
    {
        foreach (var (path, content) in Lists)
        {
            bed.Server.Serve(Raw + path, Text(content));
        }

        bed.Server.Serve(Raw + "Images-processed/CT_COVID.zip", CovidZip);
        bed.Server.Serve(Raw + "Images-processed/CT_NonCOVID.zip", NonCovidZip);
    }

    public void Dispose() => bed.Dispose();

    private Task<FetchReport> Fetch() =>
        new CovidCtSource(new Uri(bed.Server.BaseUrl, "UCSD-AI4H/COVID-CT"), "master", bed.Downloader).FetchAsync(bed.Raw, CancellationToken.None);

    [Fact]
    public async Task FetchesTheListsAndUnpacksTheImagesIntoTheRepositoryLayout()
    {
        var report = await Fetch();

        Assert.Equal(
            [
                "Data-split/COVID/testCT_COVID.txt",
                "Data-split/COVID/trainCT_COVID.txt",
                "Data-split/COVID/valCT_COVID.txt",
                "Data-split/NonCOVID/testCT_NonCOVID.txt",
                "Data-split/NonCOVID/trainCT_NonCOVID.txt",
                "Data-split/NonCOVID/valCT_NonCOVID.txt",
                "Images-processed/CT_COVID.zip",
                "Images-processed/CT_COVID/CT_COVID/2020.02.25.20021568-p24-111%7.png",
                "Images-processed/CT_COVID/CT_COVID/2020.02.26.20027938-p6-80_2%1.png",
                "Images-processed/CT_COVID/CT_COVID/2020.03.13.20035212-p23-153.png",
                "Images-processed/CT_COVID/CT_COVID/2020.03.16.20035105-p6-64-1.png",
                "Images-processed/CT_NonCOVID.zip",
                "Images-processed/CT_NonCOVID/2140.png",
                "Images-processed/CT_NonCOVID/39%0.jpg",
                "Images-processed/CT_NonCOVID/65%4.jpg",
                "Images-processed/CT_NonCOVID/84%3.jpg",
            ],
            bed.RawFiles());
        Assert.Equal(Lists["Data-split/NonCOVID/trainCT_NonCOVID.txt"], File.ReadAllText(Path.Combine(bed.Raw, "Data-split/NonCOVID/trainCT_NonCOVID.txt")));
        Assert.Equal("a", File.ReadAllText(Path.Combine(bed.Raw, "Images-processed/CT_COVID/CT_COVID/2020.02.25.20021568-p24-111%7.png")));
        Assert.Equal(8, report.Files.Count);
        Assert.All(report.Files, f => Assert.Matches("^[0-9a-f]{64}$", f.Sha256));
        Assert.Equal(
            """{"CT_COVID":4,"CT_NonCOVID":4}""", report.Details["images"]!.ToJsonString());
        Assert.Empty(report.Details["listed_not_found"]!.AsArray());
        Assert.Equal(2, report.Details["lists"]!["Data-split/COVID/trainCT_COVID.txt"]!.GetValue<int>());
    }

    [Fact]
    public async Task ARerunKeepsWhatIsThereAndDownloadsNothing()
    {
        await Fetch();

        var report = await Fetch();

        Assert.Empty(report.Files);
        Assert.Equal(8, report.Details["kept"]!.AsArray().Count);
        Assert.All(bed.Server.Requests.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task AZipLeftByAnInterruptedRunIsUnpackedWithoutADownload()
    {
        await Fetch();
        Directory.Delete(Path.Combine(bed.Raw, "Images-processed/CT_NonCOVID"), recursive: true);

        var report = await Fetch();

        Assert.Equal(1, bed.Server.Requests[Raw + "Images-processed/CT_NonCOVID.zip"]);
        Assert.True(File.Exists(Path.Combine(bed.Raw, "Images-processed/CT_NonCOVID/84%3.jpg")));
        Assert.Contains("Images-processed/CT_NonCOVID.zip", report.Details["kept"]!.AsArray().Select(k => k!.GetValue<string>()));
    }

    [Fact]
    public async Task ListedNamesMissingFromTheImagesAreReported()
    {
        bed.Server.Serve(Raw + "Data-split/NonCOVID/valCT_NonCOVID.txt", Text("39%0.jpg\nmissing%1.jpg\n"));

        var report = await Fetch();

        Assert.Equal(["CT_NonCOVID/missing%1.jpg"], report.Details["listed_not_found"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Theory]
    [InlineData("https://github.com/UCSD-AI4H/COVID-CT", "master", "Data-split/COVID/trainCT_COVID.txt", "https://github.com/UCSD-AI4H/COVID-CT/raw/master/Data-split/COVID/trainCT_COVID.txt")]
    [InlineData("https://github.com/o/r/", "feature/x", "Images/84%3 a.jpg", "https://github.com/o/r/raw/feature/x/Images/84%253%20a.jpg")]
    [InlineData("http://127.0.0.1:8080/o/r", "0a1b2c", "a#b?.png", "http://127.0.0.1:8080/o/r/raw/0a1b2c/a%23b%3F.png")]
    public void EachPathSegmentIsEscapedInTheFileUrl(string repository, string version, string path, string expected) =>
        Assert.Equal(expected, CovidCtSource.RawFileUrl(new Uri(repository), version, path).AbsoluteUri);
}
