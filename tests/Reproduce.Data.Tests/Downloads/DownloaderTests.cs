using System.IO.Compression;
using System.Security.Cryptography;
using Reproduce.Core.Errors;
using Reproduce.Core.Stages;
using Reproduce.Data.Downloads;
using Reproduce.Data.IO;

namespace Reproduce.Data.Tests.Downloads;

/// <summary>Downloads against a server on 127.0.0.1 serving the fixture files.</summary>
public sealed class DownloaderTests : IDisposable
{
    private static readonly RetryPolicy Quick = new(4, TimeSpan.FromMilliseconds(10), 1.0);

    private readonly FixtureServer server = new();
    private readonly TempFolder temp = new();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly byte[] content = File.ReadAllBytes(Fixtures.File("npz", "organsmnist-tiny-deflated.npz"));

    private string Sha256 => Convert.ToHexStringLower(SHA256.HashData(content));

    private Task<DownloadedFile> Download(DownloadRequest request) =>
        new Downloader(http, Quick, TimeProvider.System, SilentProgress.Instance).DownloadAsync(request, CancellationToken.None);

    public void Dispose()
    {
        server.Dispose();
        http.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task DownloadsVerifiesAndMovesTheFileIntoPlace()
    {
        var url = server.Serve("data.npz", content);
        var target = Path.Combine(temp.Path, "sub", "data.npz");

        var file = await Download(new DownloadRequest(url, target) { Md5 = Convert.ToHexStringLower(MD5.HashData(content)) });

        Assert.Equal(content, File.ReadAllBytes(target));
        Assert.Equal((content.Length, Sha256, false, 1), (file.Bytes, file.Sha256, file.Resumed, file.Attempts));
        Assert.False(File.Exists(target + ".part"));
    }

    [Fact]
    public async Task ACutTransferResumesWithARangeRequest()
    {
        var url = server.Serve("cut.npz", content, cutFirstAfter: 1000);
        var target = Path.Combine(temp.Path, "cut.npz");

        var file = await Download(new DownloadRequest(url, target) { Sha256 = Sha256 });

        Assert.Equal(content, File.ReadAllBytes(target));
        Assert.Equal(2, file.Attempts);
        Assert.True(file.Resumed);
        Assert.Contains("bytes=1000-", server.RangesAsked);
    }

    [Fact]
    public async Task APartLeftByAnEarlierRunIsContinued()
    {
        var url = server.Serve("partial.npz", content);
        var target = Path.Combine(temp.Path, "partial.npz");
        File.WriteAllBytes(target + ".part", content[..500]);

        var file = await Download(new DownloadRequest(url, target) { Sha256 = Sha256 });

        Assert.Equal(content, File.ReadAllBytes(target));
        Assert.True(file.Resumed);
        Assert.Equal(["bytes=500-"], server.RangesAsked);
    }

    [Fact]
    public async Task AServerErrorIsRetried()
    {
        var url = server.Serve("flaky.npz", content, failFirst: 2);
        var target = Path.Combine(temp.Path, "flaky.npz");

        var file = await Download(new DownloadRequest(url, target) { Sha256 = Sha256 });

        Assert.Equal(3, file.Attempts);
        Assert.Equal(3, server.Requests["flaky.npz"]);
        Assert.Equal(content, File.ReadAllBytes(target));
    }

    [Fact]
    public async Task GivingUpAfterTheLastAttemptNamesTheUrl()
    {
        var url = server.Serve("down.npz", content, failFirst: 100);

        var error = await Assert.ThrowsAsync<DownloadException>(() => Download(new DownloadRequest(url, Path.Combine(temp.Path, "down.npz"))));

        Assert.StartsWith($"{url}: failed after 4 attempt(s): ", error.Message);
        Assert.Contains("500", error.Message);
        Assert.False(File.Exists(Path.Combine(temp.Path, "down.npz")));
    }

    [Fact]
    public async Task AChecksumMismatchRejectsTheFileAndLeavesNothingInPlace()
    {
        var url = server.Serve("wrong.npz", content);
        var target = Path.Combine(temp.Path, "wrong.npz");

        var error = await Assert.ThrowsAsync<DownloadException>(() => Download(new DownloadRequest(url, target) { Md5 = new string('0', 32) }));

        Assert.Contains("MD5 mismatch: expected 00000000000000000000000000000000", error.Message);
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(target + ".part"));
    }

    [Fact]
    public async Task ANotFoundIsNotRetried()
    {
        var error = await Assert.ThrowsAsync<DownloadException>(() => Download(new DownloadRequest(new Uri(server.BaseUrl, "missing.npz"), Path.Combine(temp.Path, "x"))));

        Assert.Contains("failed after 1 attempt(s): HTTP 404", error.Message);
    }

    [Fact]
    public void AnArchiveEntryEscapingItsFolderIsRejected()
    {
        var archive = Path.Combine(temp.Path, "evil.zip");
        using (var zip = ZipFile.Open(archive, ZipArchiveMode.Create))
        {
            zip.CreateEntry("fine/a.txt");
            zip.CreateEntry("../escaped.txt");
        }

        var target = Path.Combine(temp.Path, "out");
        var error = Assert.Throws<DataFormatException>(() => SafeZip.ExtractTo(archive, target, ArchiveLimits.Default));

        Assert.Contains("entry '../escaped.txt' would be written outside the extraction folder", error.Message);
        Assert.False(File.Exists(Path.Combine(temp.Path, "escaped.txt")));
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public void ExtractionKeepsTheSelectedEntries()
    {
        var archive = Path.Combine(temp.Path, "good.zip");
        using (var zip = ZipFile.Open(archive, ZipArchiveMode.Create))
        {
            using (var writer = new StreamWriter(zip.CreateEntry("series/1.dcm").Open()))
            {
                writer.Write("DICM");
            }

            zip.CreateEntry("LICENSE");
        }

        var count = SafeZip.ExtractTo(archive, Path.Combine(temp.Path, "out"), ArchiveLimits.Default, e => e.Name.EndsWith(".dcm", StringComparison.Ordinal));

        Assert.Equal(1, count);
        Assert.Equal("DICM", File.ReadAllText(Path.Combine(temp.Path, "out", "series", "1.dcm")));
        Assert.False(File.Exists(Path.Combine(temp.Path, "out", "LICENSE")));
    }
}
