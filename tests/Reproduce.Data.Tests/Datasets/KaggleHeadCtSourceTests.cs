using System.Net.Http.Headers;
using System.Text;
using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Data.Datasets;
using Reproduce.Data.Downloads;
using static Reproduce.Data.Tests.Datasets.SourceTestBed;

namespace Reproduce.Data.Tests.Datasets;

/// <summary>The Kaggle "Head CT – hemorrhage" source: a local zip or folder, the API with credentials, and the how-to when neither is there.</summary>
public sealed class KaggleHeadCtSourceTests : IDisposable
{
    private const string DownloadPath = "api/v1/datasets/download/felipekitamura/head-ct-hemorrhage";
    private const string Labels = "id, hemorrhage\n0,1\n1,0\n";

    /// <summary>As Kaggle serves it: the images one folder deeper than their name says.</summary>
    private static readonly byte[] KaggleZip = Zip(
        ("head_ct/head_ct/000.png", Text("png 0")), ("head_ct/head_ct/001.png", Text("png 1")), ("labels.csv", Text(Labels)));

    private readonly SourceTestBed bed = new();

    public void Dispose() => bed.Dispose();

    private KaggleHeadCtSource Source(ConfiguredPath? path = null, IReadOnlyDictionary<string, string>? environment = null, string? version = null) =>
        new(path, new Uri(bed.Server.BaseUrl, "api/v1/"), version, bed.Downloader, name => environment?.GetValueOrDefault(name));

    private static ConfiguredPath PathTo(string path) => new(path, path, []);

    private static string Basic(string user, string key) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{key}"));

    private void AssertLayout()
    {
        Assert.Equal(["head_ct/000.png", "head_ct/001.png", "labels.csv"], bed.RawFiles().Where(f => !f.EndsWith(".zip", StringComparison.Ordinal)));
        Assert.Equal(Labels, File.ReadAllText(Path.Combine(bed.Raw, "labels.csv")));
        Assert.Equal("png 1", File.ReadAllText(Path.Combine(bed.Raw, "head_ct", "001.png")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("head-ct-hemorrhage/")]
    public async Task ALocalZipIsUnpackedAndItsNestingNormalised(string top)
    {
        var archive = bed.Temp.Combine("download.zip");
        File.WriteAllBytes(archive, Zip(
            ($"{top}head_ct/head_ct/000.png", Text("png 0")), ($"{top}head_ct/head_ct/001.png", Text("png 1")), ($"{top}labels.csv", Text(Labels))));

        var report = await Source(PathTo(archive)).FetchAsync(bed.Raw, CancellationToken.None);

        AssertLayout();
        Assert.Empty(report.Files);
        Assert.Equal(2, report.Details["images"]!.GetValue<int>());
        Assert.Matches("^[0-9a-f]{64}$", report.Details["archive_sha256"]!.GetValue<string>());
        Assert.False(Directory.Exists(Path.Combine(bed.Raw, ".staging")));
        Assert.True(File.Exists(archive));
    }

    [Fact]
    public async Task ALocalFolderIsCopiedAndLeftAsItWas()
    {
        var folder = bed.Temp.Combine("kaggle");
        Directory.CreateDirectory(Path.Combine(folder, "head_ct", "head_ct"));
        File.WriteAllText(Path.Combine(folder, "head_ct", "head_ct", "000.png"), "png 0");
        File.WriteAllText(Path.Combine(folder, "head_ct", "head_ct", "001.png"), "png 1");
        File.WriteAllText(Path.Combine(folder, "head_ct", "labels.csv"), Labels);

        await Source(PathTo(folder)).FetchAsync(bed.Raw, CancellationToken.None);

        AssertLayout();
        Assert.Equal(3, Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task AFolderInTheAuthorsLayoutPointsToTheLocalSource()
    {
        var folder = bed.Temp.Combine("brain");
        Directory.CreateDirectory(Path.Combine(folder, "train", "a_without"));
        File.WriteAllText(Path.Combine(folder, "train", "a_without", "1.png"), "png");

        var error = await Assert.ThrowsAsync<DataFormatException>(() => Source(PathTo(folder)).FetchAsync(bed.Raw, CancellationToken.None));

        Assert.StartsWith($"{folder}: found 0 labels.csv and 0 head_ct folders of PNGs", error.Message);
        Assert.Contains("use source: local", error.Message);
    }

    [Fact]
    public async Task CredentialsFromTheEnvironmentAreSentAsBasicAuthentication()
    {
        bed.Server.Serve(DownloadPath, KaggleZip, requireAuthorization: Basic("alice", "s3cret-key"));

        var report = await Source(environment: new Dictionary<string, string> { ["KAGGLE_USERNAME"] = "alice", ["KAGGLE_KEY"] = "s3cret-key" })
            .FetchAsync(bed.Raw, CancellationToken.None);

        AssertLayout();
        Assert.Equal(Path.Combine(bed.Raw, KaggleHeadCtSource.ArchiveFile), Assert.Single(report.Files).Path);
        Assert.Equal([Basic("alice", "s3cret-key")], bed.Server.AuthorizationsSent);
        Assert.DoesNotContain(bed.Progress.Messages, m => m.Contains("s3cret", StringComparison.Ordinal));
        Assert.DoesNotContain("s3cret", report.Details.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("KAGGLE_CONFIG_DIR", "")]
    [InlineData("HOME", ".kaggle")]
    public async Task CredentialsFromKaggleJsonAreUsedLikeTheKaggleCli(string variable, string subfolder)
    {
        var home = bed.Temp.Combine("home");
        Directory.CreateDirectory(Path.Combine(home, subfolder));
        File.WriteAllText(Path.Combine(home, subfolder, "kaggle.json"), """{"username":"bob","key":"k3y"}""");
        bed.Server.Serve(DownloadPath + "?datasetVersionNumber=1", KaggleZip, requireAuthorization: Basic("bob", "k3y"));

        await Source(environment: new Dictionary<string, string> { [variable] = home }, version: "1").FetchAsync(bed.Raw, CancellationToken.None);

        AssertLayout();
    }

    [Fact]
    public async Task RefusedCredentialsAreNamedWithoutTheKey()
    {
        bed.Server.Serve(DownloadPath, KaggleZip, requireAuthorization: Basic("alice", "right"));

        var error = await Assert.ThrowsAsync<DownloadException>(() =>
            Source(environment: new Dictionary<string, string> { ["KAGGLE_USERNAME"] = "alice", ["KAGGLE_KEY"] = "wrong-key" }).FetchAsync(bed.Raw, CancellationToken.None));

        Assert.Contains("Kaggle refused the credentials from KAGGLE_USERNAME/KAGGLE_KEY (HTTP 401", error.Message);
        Assert.DoesNotContain("wrong-key", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARerunKeepsTheLayoutAndNeedsNoCredentials()
    {
        bed.Server.Serve(DownloadPath, KaggleZip);
        await Source(environment: new Dictionary<string, string> { ["KAGGLE_USERNAME"] = "alice", ["KAGGLE_KEY"] = "key" }).FetchAsync(bed.Raw, CancellationToken.None);
        File.Delete(Path.Combine(bed.Raw, "labels.csv"));

        var unpackedAgain = await Source().FetchAsync(bed.Raw, CancellationToken.None);
        var kept = await Source().FetchAsync(bed.Raw, CancellationToken.None);

        AssertLayout();
        Assert.Equal(1, bed.Server.Requests[DownloadPath]);
        Assert.Equal((false, true), (unpackedAgain.Details["kept"]!.GetValue<bool>(), kept.Details["kept"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task WithNeitherDataNorCredentialsTheErrorSaysHowToGetIt()
    {
        var error = await Assert.ThrowsAsync<EnvironmentException>(() => Source().FetchAsync(bed.Raw, CancellationToken.None));

        Assert.Contains("https://www.kaggle.com/datasets/felipekitamura/head-ct-hemorrhage", error.Message);
        Assert.Contains("kaggle datasets download -d felipekitamura/head-ct-hemorrhage", error.Message);
        Assert.Contains("`path:`", error.Message);
        Assert.Contains("BRAIN_DATA", error.Message);
        Assert.Contains("KAGGLE_USERNAME and KAGGLE_KEY", error.Message);
        Assert.Contains("train|test/{a_without,b_with}", error.Message);
        Assert.Contains("not public", error.Message);
        Assert.Empty(bed.Server.Requests);
    }

    [Fact]
    public async Task AnUnsetPathVariableIsNamed()
    {
        var error = await Assert.ThrowsAsync<EnvironmentException>(() =>
            Source(new ConfiguredPath("${BRAIN_DATA}", null, ["BRAIN_DATA"])).FetchAsync(bed.Raw, CancellationToken.None));

        Assert.StartsWith("no Brain data (the dataset's path '${BRAIN_DATA}' is unusable: BRAIN_DATA not set): ", error.Message);
    }

    [Fact]
    public async Task AMissingLocalPathIsNamed()
    {
        var missing = bed.Temp.Combine("nowhere.zip");

        var error = await Assert.ThrowsAsync<EnvironmentException>(() => Source(PathTo(missing)).FetchAsync(bed.Raw, CancellationToken.None));

        Assert.StartsWith($"the Brain dataset's path {missing} does not exist", error.Message);
    }

    [Fact]
    public void ARequestNeverPrintsItsCredential()
    {
        var request = new DownloadRequest(new Uri("https://example.org/x"), "x") { Authorization = new AuthenticationHeaderValue("Basic", "c2VjcmV0") };

        Assert.DoesNotContain("c2VjcmV0", request.ToString(), StringComparison.Ordinal);
        Assert.Contains("Authorization = Basic", request.ToString(), StringComparison.Ordinal);
    }
}
