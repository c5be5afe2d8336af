using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;
using Reproduce.Data.Datasets;
using Reproduce.Data.Preprocessing;
using Reproduce.Data.Splits;
using Reproduce.Data.Store;

namespace Reproduce.Data.Tests.Datasets;

/// <summary>The readers of the three image layouts on real fixture files, through preprocessing into a store.</summary>
public class RawDatasetTests
{
    [Fact]
    public void CovidCtFollowsTheSplitListsDecodesByContentAndRecordsMissingFiles()
    {
        using var folder = new TempFolder();
        Place(folder, "Images-processed/CT_COVID/CT_COVID/2020.02.25.20021568-p24-111%7.png", "rgba.png");
        Place(folder, "Images-processed/CT_COVID/CT_COVID/jpeg-as-png.png", "jpeg-named.png");
        Place(folder, "Images-processed/CT_COVID/CT_COVID/test-covid.png", "gray.png");
        Place(folder, "Images-processed/CT_NonCOVID/84%3.jpg", "progressive-gray.jpg");
        Place(folder, "Images-processed/CT_NonCOVID/unlisted.png", "rgb.png");
        Place(folder, "Images-processed/CT_NonCOVID/b.png", "rgb.png");
        Place(folder, "Images-processed/CT_NonCOVID/c.jpg", "baseline-rgb.jpg");
        List(folder, "Data-split/COVID/trainCT_COVID.txt", "2020.02.25.20021568-p24-111%7.png", "jpeg-as-png.png");
        List(folder, "Data-split/COVID/valCT_COVID.txt");
        List(folder, "Data-split/COVID/testCT_COVID.txt", "test-covid.png", "gone.png");
        List(folder, "Data-split/NonCOVID/trainCT_NonCOVID.txt", "84%3.jpg");
        List(folder, "Data-split/NonCOVID/valCT_NonCOVID.txt", "b.png");
        List(folder, "Data-split/NonCOVID/testCT_NonCOVID.txt", "c.jpg", "84%3.jpg");

        using var store = Build(Identifiers.Covid, folder.Path, 32);

        Assert.Equal(["NonCOVID", "COVID"], store.Description.Classes);
        Assert.Equal(
            [
                ("CT_COVID/2020.02.25.20021568-p24-111%7.png", 1, OfficialSplit.Train),
                ("CT_COVID/jpeg-as-png.png", 1, OfficialSplit.Train),
                ("CT_NonCOVID/84%3.jpg", 0, OfficialSplit.Train),
                ("CT_NonCOVID/b.png", 0, OfficialSplit.Validation),
                ("CT_COVID/test-covid.png", 1, OfficialSplit.Test),
                ("CT_NonCOVID/c.jpg", 0, OfficialSplit.Test),
            ],
            store.Items.Select(i => (i.Id, i.Label, i.Split)));
        Assert.Equal("Images-processed/CT_COVID/CT_COVID/jpeg-as-png.png", store.Items[1].Source);
        Assert.Contains(store.Skipped, s => s.Source == "Data-split/COVID/testCT_COVID.txt: gone.png" && s.Reason.Contains("no such file", StringComparison.Ordinal));
        Assert.Contains(store.Skipped, s => s.Source == "Data-split/NonCOVID/testCT_NonCOVID.txt: 84%3.jpg" && s.Reason.Contains("listed again", StringComparison.Ordinal));
        Assert.Equal(2, store.Skipped.Count);
    }

    [Fact]
    public void AMissingSplitListIsNamed()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Combine("Images-processed/CT_COVID"));
        Directory.CreateDirectory(folder.Combine("Images-processed/CT_NonCOVID"));
        var error = Assert.Throws<DataFormatException>(() => RawDataset.Open(Spec(Identifiers.Covid, 32), folder.Path));
        Assert.Contains("trainCT_COVID.txt", error.Message);
        Assert.Contains("missing", error.Message);
    }

    [Fact]
    public void AnUndecodableImageIsSkippedWithItsReasonNotDropped()
    {
        using var folder = new TempFolder();
        Place(folder, "train/a_without/ok.png", "gray.png");
        Place(folder, "train/b_with/ok.png", "rgb.png");
        File.WriteAllBytes(folder.Combine("train/b_with/broken.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0]);
        Place(folder, "test/a_without/t.png", "rgba.png");
        Place(folder, "test/b_with/t.jpg", "baseline-rgb.jpg");

        using var store = Build(Identifiers.Brain, folder.Path, 16);

        Assert.Equal(4, store.Count);
        Assert.Equal(["test/a_without/t.png", "test/b_with/t.jpg", "train/a_without/ok.png", "train/b_with/ok.png"], store.Items.Select(i => i.Id).Order(StringComparer.Ordinal));
        var skipped = Assert.Single(store.Skipped);
        Assert.Equal("train/b_with/broken.png", skipped.Source);
        Assert.Contains("PNG", skipped.Reason);
    }

    [Fact]
    public void TheKaggleStandInGetsAFixedTestSetOfFifteenPerClass()
    {
        using var folder = new TempFolder();
        var lines = new List<string> { "id, hemorrhage" };
        for (var id = 0; id < 40; id++)
        {
            lines.Add($"{id},{(id < 20 ? 1 : 0)}");
            if (id != 7)
            {
                Place(folder, $"head_ct/{id:D3}.png", "gray.png");
            }
        }

        File.WriteAllLines(folder.Combine("labels.csv"), lines);
        var first = (BrainFolders)RawDataset.Open(Spec(Identifiers.Brain, 16), folder.Path);
        var again = (BrainFolders)RawDataset.Open(Spec(Identifiers.Brain, 16), folder.Path);
        var items = first.Batches().SelectMany(b => b.Items).ToList();

        Assert.Equal(items, again.Batches().SelectMany(b => b.Items));
        Assert.Equal(39, items.Count);
        Assert.Equal(15, items.Count(i => i.Split == OfficialSplit.Test && i.Label == 1));
        Assert.Equal(15, items.Count(i => i.Split == OfficialSplit.Test && i.Label == 0));
        Assert.Equal("head_ct/007.png", Assert.Single(first.Skipped).Source);
    }

    [Fact]
    public void ABrokenKaggleLabelLineIsNamedWithItsLine()
    {
        using var folder = new TempFolder();
        File.WriteAllLines(folder.Combine("labels.csv"), ["id, hemorrhage", "0, 1", "1; 0"]);
        var error = Assert.Throws<DataFormatException>(() => RawDataset.Open(Spec(Identifiers.Brain, 16), folder.Path));
        Assert.Contains("labels.csv", error.Message);
        Assert.Contains("line 3", error.Message);
    }

    [Theory]
    [InlineData("organsmnist-tiny-stored.npz")]
    [InlineData("organsmnist-tiny-deflated.npz")]
    public void AMedmnistFileKeepsItsOrderLabelsAndPixels(string fixture)
    {
        using var folder = new TempFolder();
        File.Copy(Fixtures.File("npz", fixture), folder.Combine("organsmnist.npz"));

        using var store = Build(Identifiers.OrganSMnist, folder.Path, 28);

        Assert.Equal(44, store.Count);
        Assert.Equal(11, store.Description.Classes.Count);
        Assert.Equal(Enumerable.Range(0, 22).Select(i => i % 11), store.Items.Where(i => i.Split == OfficialSplit.Train).Select(i => i.Label));
        Assert.Equal("train/00003", store.Items[3].Id);
        Assert.Equal("organsmnist.npz!train_images[3]", store.Items[3].Source);
        // 28 px in, 28 px out: the pixels are the file's (README: train image sum 1,471,109).
        Assert.Equal(1471109L, Enumerable.Range(0, 22).Sum(i => store.Image(i).Sum(b => (long)b)));
        Assert.Equal(868663L, store.Items.Where(i => i.Split == OfficialSplit.Test).Sum(i => store.Image(i.Position).Sum(b => (long)b)));
    }

    [Fact]
    public void AMedmnistFileOfAnotherSizeIsRefusedClearly()
    {
        using var folder = new TempFolder();
        File.Copy(Fixtures.File("npz", "organsmnist-tiny-stored.npz"), folder.Combine("organsmnist_64.npz"));
        var error = Assert.Throws<DataFormatException>(() => new OrganSMnistNpz(folder.Path, 64));
        Assert.Contains("expected uint8 (N, 64, 64)", error.Message);
    }

    private static TensorStore Build(string dataset, string directory, int size)
    {
        var spec = Spec(dataset, size);
        new StoreBuilder(ImageRecipe.Create(spec.Preprocess), 2, SilentProgress.Instance).Build(RawDataset.Open(spec, directory), dataset, [], Path.Combine(directory, "store"), CancellationToken.None);

        return TensorStore.Open(Path.Combine(directory, "store"));
    }

    private static DatasetSpec Spec(string dataset, int size) => new()
    {
        Id = dataset,
        Source = dataset == Identifiers.OrganSMnist ? "zenodo" : "local",
        ImageSize = dataset == Identifiers.OrganSMnist ? size : null,
        Preprocess = new PreprocessSpec { Recipe = "gray", Size = size },
    };

    private static void Place(TempFolder folder, string relative, string fixture)
    {
        var path = folder.Combine(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(Fixtures.File("images", fixture), path);
    }

    private static void List(TempFolder folder, string relative, params string[] names)
    {
        var path = folder.Combine(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Concat(names.Select(n => n + "\n")));
    }
}
