using System.Security.Cryptography;
using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Data.Datasets;

namespace Reproduce.Data.Tests.Datasets;

/// <summary>The MedMNIST catalog, and the source fetching a catalog entry that points at 127.0.0.1.</summary>
public sealed class MedMnistSourceTests : IDisposable
{
    private readonly SourceTestBed bed = new();
    private readonly byte[] npz = File.ReadAllBytes(Fixtures.File("npz", "organsmnist-tiny-deflated.npz"));

    public void Dispose() => bed.Dispose();

    private MedMnistFile Entry(string? md5 = null) => new(
        "v2", 28, bed.Server.Serve("records/1/files/organsmnist.npz", npz), md5 ?? Convert.ToHexStringLower(MD5.HashData(npz)), new SplitCounts(22, 11, 11));

    private Task<FetchReport> Fetch(MedMnistFile entry) => new MedMnistSource(entry, bed.Downloader).FetchAsync(bed.Raw, CancellationToken.None);

    private string Target => Path.Combine(bed.Raw, "organsmnist.npz");

    [Fact]
    public async Task DownloadsAndVerifiesTheFile()
    {
        var report = await Fetch(Entry());

        Assert.Equal(npz, File.ReadAllBytes(Target));
        Assert.Equal(["organsmnist.npz"], bed.RawFiles());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(npz)), Assert.Single(report.Files).Sha256);
        Assert.Equal("""{"train":22,"val":11,"test":11}""", report.Details["expected_counts"]!.ToJsonString());
        Assert.False(report.Details["kept"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AWrongMd5RejectsTheFileAndLeavesNothing()
    {
        var error = await Assert.ThrowsAsync<DownloadException>(() => Fetch(Entry(md5: "0123456789abcdef0123456789abcdef")));

        Assert.Contains("MD5 mismatch: expected 0123456789abcdef0123456789abcdef", error.Message);
        Assert.Empty(bed.RawFiles());
    }

    [Fact]
    public async Task AVerifiedFileInPlaceIsKeptAndAnotherIsReplaced()
    {
        var entry = Entry();
        await Fetch(entry);

        var kept = await Fetch(entry);
        File.WriteAllBytes(Target, [1, 2, 3]);
        var replaced = await Fetch(entry);

        Assert.True(kept.Details["kept"]!.GetValue<bool>());
        Assert.Empty(kept.Files);
        Assert.Single(replaced.Files);
        Assert.Equal(npz, File.ReadAllBytes(Target));
        Assert.Equal(2, bed.Server.Requests["records/1/files/organsmnist.npz"]);
    }

    [Fact]
    public void TheCatalogHoldsThePublishedFiles()
    {
        var v2 = MedMnistCatalog.OrganSMnist("v2", 28);
        var v3 = MedMnistCatalog.OrganSMnist("v3", 224);

        Assert.Equal(("https://zenodo.org/record/6496656/files/organsmnist.npz?download=1", "e5c39f1af030238290b9557d9503af9d", new SplitCounts(13940, 2452, 8829)), (v2.Url.AbsoluteUri, v2.Md5, v2.Counts));
        Assert.Equal(("https://zenodo.org/records/10519652/files/organsmnist_224.npz?download=1", "b354719e553fbbb2513d5533f52a4cb1", new SplitCounts(13932, 2452, 8827)), (v3.Url.AbsoluteUri, v3.Md5, v3.Counts));
        Assert.Equal(5, MedMnistCatalog.OrganSMnistFiles.Select(f => RawLayouts.OrganSMnistFile(f.ImageSize) + f.Version).Distinct().Count());
    }

    [Fact]
    public void AVersionAndSizeNeverPublishedIsAClearError()
    {
        var error = Assert.Throws<UsageException>(() => MedMnistCatalog.OrganSMnist("v2", 64));

        Assert.StartsWith("OrganSMNIST v2 at 64 px was never published: v2 exists only at 28 px", error.Message);
    }

    [Fact]
    public async Task TheFactoryTakesTheManifestUrlAsAMirrorOfTheCatalogFile()
    {
        var mirror = bed.Server.Serve("mirror/organsmnist_64.npz", npz);
        var dataset = new DatasetSpec
        {
            Id = Identifiers.OrganSMnist,
            Source = "zenodo",
            Version = "v3",
            ImageSize = 64,
            Url = mirror.AbsoluteUri,
            Preprocess = new PreprocessSpec { Recipe = "gray", Size = 64 },
        };

        var source = RawSources.Create(dataset, bed.Downloader, bed.Progress, _ => null);
        var error = await Assert.ThrowsAsync<DownloadException>(() => source.FetchAsync(bed.Raw, CancellationToken.None));

        // The mirror is checked against the catalog's MD5 of the v3 64 px file, which the fixture is not.
        Assert.Equal(mirror, error.Url);
        Assert.Contains("MD5 mismatch: expected 53a6d115339d874c25e309a994ff46d3", error.Message);
    }

    [Theory]
    [InlineData("brain", "local")]
    [InlineData("covid", "synthetic")]
    [InlineData("covid", "nbia")]
    public void TheFactoryRefusesSourcesItDoesNotFetch(string id, string source)
    {
        var dataset = new DatasetSpec { Id = id, Source = source, Preprocess = new PreprocessSpec { Recipe = "gray", Size = 64 } };

        var error = Assert.Throws<ArgumentException>(() => RawSources.Create(dataset, bed.Downloader, bed.Progress, _ => null));

        Assert.Contains($"dataset '{id}' with source '{source}' has no downloadable source here", error.Message);
    }
}
