using System.Text.Json.Nodes;
using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Errors;
using Reproduce.Core.Keys;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Data.Datasets;
using Reproduce.Data.Downloads;
using Reproduce.Data.Preprocessing;
using Reproduce.Data.Store;
using Reproduce.Data.Tests.Datasets;
using Reproduce.Data.Tests.Downloads;

namespace Reproduce.Data.Tests.Pipeline;

/// <summary>The download and preprocess stages on one cell each, as the engine calls them.</summary>
public sealed class PipelineStageTests : IDisposable
{
    private readonly TempFolder temp = new();

    private Roots Roots => new(temp.Combine("data"), temp.Combine("cache"), temp.Combine("results"));

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task ASyntheticDownloadLandsInItsCellAndPreprocessesIntoAStore()
    {
        var covid = Dataset(Identifiers.Covid, "synthetic") with { Synthetic = new SyntheticSpec { Size = 32, Train = 12, Validation = 4, Test = 6 } };
        var download = await Download(covid);

        Assert.Equal(new RawLocation(RawLocation.InCell, "raw"), RawLocation.Read(download.Directory));
        Assert.Equal(22, download.Result.Metrics!["images"]!.GetValue<int>());
        Assert.Equal(6, download.Result.Details!["splits"]!["test"]!.GetValue<int>());

        var work = temp.Combine("preprocess");
        var result = await new PreprocessStage().RunAsync(PreprocessContext(covid, work, download.Upstream), CancellationToken.None);

        using var store = TensorStore.Open(work);
        Assert.Equal(22, store.Count);
        Assert.Equal((32, 32), (store.Height, store.Width));
        Assert.Equal(22, result.Metrics!["images"]!.GetValue<int>());
        Assert.Equal(store.Description.ImagesSha256, result.Details!["images_sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task ARealSourceDownloadsUnderTheDataRootWithItsDigestsInTheDetails()
    {
        using var server = new FixtureServer();
        server.Serve("covid/raw/main/Images-processed/CT_COVID.zip", Zip(("CT_COVID/a.png", "rgb.png"), ("CT_COVID/t.png", "gray.png")));
        server.Serve("covid/raw/main/Images-processed/CT_NonCOVID.zip", Zip(("b.jpg", "baseline-rgb.jpg"), ("u.png", "rgba.png")));
        foreach (var (list, names) in new[] { ("COVID/trainCT_COVID", "a.png"), ("COVID/valCT_COVID", ""), ("COVID/testCT_COVID", "t.png"), ("NonCOVID/trainCT_NonCOVID", "b.jpg"), ("NonCOVID/valCT_NonCOVID", ""), ("NonCOVID/testCT_NonCOVID", "u.png") })
        {
            server.Serve($"covid/raw/main/Data-split/{list}.txt", System.Text.Encoding.UTF8.GetBytes(names.Length > 0 ? names + "\n" : ""));
        }

        var covid = Dataset(Identifiers.Covid, "github") with { Url = new Uri(server.BaseUrl, "covid").ToString(), Version = "main" };
        var download = await Download(covid);

        Assert.Equal(new RawLocation(RawLocation.UnderDataRoot, "covid/github-main"), RawLocation.Read(download.Directory));
        Assert.True(File.Exists(temp.Combine("data/covid/github-main/Data-split/COVID/trainCT_COVID.txt")));
        var files = download.Result.Details!["files"]!.AsArray();
        Assert.Contains(files, f => f!["path"]!.GetValue<string>() == "covid/github-main/Images-processed/CT_COVID.zip" && f["sha256"]!.GetValue<string>().Length == 64);
        Assert.Equal(4, download.Result.Metrics!["images"]!.GetValue<int>());
    }

    [Fact]
    public async Task AStoreLeftWithoutTestImagesFailsAndSaysWhy()
    {
        var brain = Dataset(Identifiers.Brain, "local") with { Path = new ConfiguredPath(temp.Combine("brain"), temp.Combine("brain"), []) };
        foreach (var folder in new[] { "train/a_without", "train/b_with", "test/a_without", "test/b_with" })
        {
            Directory.CreateDirectory(temp.Combine($"brain/{folder}"));
        }

        File.Copy(Fixtures.File("images", "gray.png"), temp.Combine("brain/train/a_without/1.png"));
        File.Copy(Fixtures.File("images", "rgb.png"), temp.Combine("brain/train/b_with/2.png"));
        File.WriteAllText(temp.Combine("brain/test/b_with/3.png"), "not an image");
        var download = await Download(brain);

        var error = await Assert.ThrowsAsync<DataFormatException>(() =>
            new PreprocessStage().RunAsync(PreprocessContext(brain, temp.Combine("preprocess"), download.Upstream), CancellationToken.None));

        Assert.Contains("no test images are left after skipping 1 item(s), e.g. test/b_with/3.png: at byte 0: neither PNG nor JPEG", error.Message);
    }

    [Fact]
    public async Task RawFilesDeletedAfterTheDownloadAreAnEnvironmentErrorSayingHowToFetchThemAgain()
    {
        var covid = Dataset(Identifiers.Covid, "synthetic") with { Synthetic = new SyntheticSpec { Size = 32, Train = 4, Validation = 2, Test = 2 } };
        var download = await Download(covid);
        Directory.Delete(Path.Combine(download.Directory, "raw"), recursive: true);

        var error = await Assert.ThrowsAsync<EnvironmentException>(() =>
            new PreprocessStage().RunAsync(PreprocessContext(covid, temp.Combine("preprocess"), download.Upstream), CancellationToken.None));

        Assert.Contains("--only download --dataset covid --force", error.Message);
    }

    [Fact]
    public void AMedmnistFileWithOtherCountsThanPublishedIsRefused()
    {
        File.Copy(Fixtures.File("npz", "organsmnist-tiny-deflated.npz"), temp.Combine("organsmnist.npz"));
        var npz = new OrganSMnistNpz(temp.Path, 28);

        Assert.Equal(new SplitCounts(22, 11, 11), npz.Counts);
        npz.RequireCounts(MedMnistCatalog.OrganSMnist("v2", 28) with { Counts = new SplitCounts(22, 11, 11) });
        var error = Assert.Throws<DataFormatException>(() => npz.RequireCounts(MedMnistCatalog.OrganSMnist("v2", 28)));
        Assert.Contains("holds 22 / 11 / 11 train / val / test images; MedMNIST v2 publishes 13940 / 2452 / 8829", error.Message);
    }

    [Fact]
    public void ARawLocationOfAnUnknownKindIsNamed()
    {
        File.WriteAllText(temp.Combine(RawLocation.FileName), """{"kind": "cloud", "path": "x"}""");
        var error = Assert.Throws<DataFormatException>(() => RawLocation.Read(temp.Path).Resolve(temp.Path, Roots));
        Assert.Contains("unknown location kind 'cloud'", error.Message);
    }

    private async Task<(string Directory, StageResult Result, UpstreamOutput Upstream)> Download(DatasetSpec dataset)
    {
        var work = temp.Combine("download");
        using var http = new HttpClient();
        var stage = new DownloadStage(http, new RetryPolicy(2, TimeSpan.FromMilliseconds(1), 1), _ => null);
        var (download, _, keys) = Cells(dataset);
        var result = await stage.RunAsync(Context(CellSpec.Of(download, keys), work, []), CancellationToken.None);
        var meta = new CellMeta
        {
            Key = keys.KeyOf(download),
            Address = download.Address.Text,
            Components = keys.ComponentsOf(download),
            Started = DateTimeOffset.UnixEpoch,
            Finished = DateTimeOffset.UnixEpoch,
            Host = "test",
        };
        return (work, result, new UpstreamOutput(download.Address, meta.Key, work, meta));
    }

    private CellContext PreprocessContext(DatasetSpec dataset, string work, UpstreamOutput download)
    {
        var (_, preprocess, keys) = Cells(dataset);
        return Context(CellSpec.Of(preprocess, keys), work, [download]);
    }

    /// <summary>The dataset's download and preprocess cells and their keys, as a manifest with this dataset plans them.</summary>
    private static (Cell Download, Cell Preprocess, CellKeys Keys) Cells(DatasetSpec dataset)
    {
        var download = ExperimentGraph.DownloadCell(dataset, seed: 7);
        var preprocess = ExperimentGraph.PreprocessCell(dataset, download);
        using var http = new HttpClient();
        var stages = new StageRegistry([new DownloadStage(http, RetryPolicy.Default, _ => null), new PreprocessStage()]);
        return (download, preprocess, new CellKeys(new CellGraph([download, preprocess]), stages, new RuntimeFingerprint("cpu", "test")));
    }

    private CellContext Context(CellSpec spec, string work, IReadOnlyList<UpstreamOutput> upstream)
    {
        Directory.CreateDirectory(work);
        return new CellContext
        {
            Spec = spec,
            WorkDirectory = work,
            Resuming = false,
            Upstream = upstream,
            Roots = Roots,
            Settings = new RunSettings { Threads = 2 },
            Progress = new RecordingProgress(),
            Clock = TimeProvider.System,
        };
    }

    private static DatasetSpec Dataset(string id, string source) => new()
    {
        Id = id,
        Source = source,
        Preprocess = new PreprocessSpec { Recipe = "gray", Size = 32 },
    };

    private static byte[] Zip(params (string Name, string Fixture)[] entries) =>
        SourceTestBed.Zip([.. entries.Select(e => (e.Name, File.ReadAllBytes(Fixtures.File("images", e.Fixture))))]);
}
