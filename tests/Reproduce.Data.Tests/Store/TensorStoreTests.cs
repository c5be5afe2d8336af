using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Reproduce.Core.Errors;
using Reproduce.Data.Splits;
using Reproduce.Data.Store;

namespace Reproduce.Data.Tests.Store;

public class TensorStoreTests
{
    [Fact]
    public void AWrittenStoreReadsBackImageForImage()
    {
        using var folder = new TempFolder();
        var images = Write(folder.Path);

        using var store = TensorStore.Open(folder.Path);
        Assert.Equal(3, store.Count);
        Assert.Equal((2, 3), (store.Height, store.Width));
        Assert.Equal(["a", "b"], store.Description.Classes);
        Assert.Equal(new StoreItem(1, "id, with \"quotes\"", 1, OfficialSplit.Validation, "dir/84%3.jpg"), store.Items[1]);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(images[i], store.Image(i));
        }

        Assert.Equal(new SkippedItem("broken.png", "the PNG image cannot be decoded"), Assert.Single(store.Skipped));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(images.SelectMany(i => i).ToArray())), store.Description.ImagesSha256);
        Assert.Equal(1, store.Description.Splits["test"]);
        Assert.Equal([new SplitItem(0, 0, OfficialSplit.Train), new SplitItem(1, 1, OfficialSplit.Validation), new SplitItem(2, 0, OfficialSplit.Test)], store.SplitItems());
    }

    [Fact]
    public void AnUnfinishedStoreIsNotAStore()
    {
        using var folder = new TempFolder();
        using (var writer = new TensorStoreWriter(folder.Path, 2, 2))
        {
            writer.Add("x", 0, OfficialSplit.Train, "x", new byte[4]);
        }

        var error = Assert.Throws<DataFormatException>(() => TensorStore.Open(folder.Path));
        Assert.Contains("store.json is missing", error.Message);
    }

    [Fact]
    public void ATruncatedImageFileIsNamed()
    {
        using var folder = new TempFolder();
        Write(folder.Path);
        var file = folder.Combine("images.u8");
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..10]);
        var error = Assert.Throws<DataFormatException>(() => TensorStore.Open(folder.Path));
        Assert.Contains("images.u8", error.Message);
        Assert.Contains("holds 10 bytes", error.Message);
    }

    [Fact]
    public void AnImageFileThatShrinksAfterOpeningIsNamedWhenTheMissingImageIsRead()
    {
        using var folder = new TempFolder();
        var images = Write(folder.Path);
        using var store = TensorStore.Open(folder.Path);
        var file = folder.Combine("images.u8");
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.SetLength(10);
        }

        Assert.Equal(images[0], store.Image(0));
        var error = Assert.Throws<DataFormatException>(() => store.Image(2));
        Assert.Contains(file, error.Message);
        Assert.Contains("ends inside image 2", error.Message);
    }

    [Fact]
    public void ADamagedIndexIsNamedWithItsLine()
    {
        using var folder = new TempFolder();
        Write(folder.Path);
        var index = folder.Combine("index.csv");
        var lines = File.ReadAllLines(index);
        lines[2] = lines[2].Replace(",validation,", ",holdout,", StringComparison.Ordinal);
        File.WriteAllLines(index, lines);
        var error = Assert.Throws<DataFormatException>(() => TensorStore.Open(folder.Path));
        Assert.Contains("index.csv", error.Message);
        Assert.Contains("unknown split 'holdout'", error.Message);
    }

    [Fact]
    public void IdsAreUniqueAndImagesHaveTheStoreSize()
    {
        using var folder = new TempFolder();
        using var writer = new TensorStoreWriter(folder.Path, 2, 2);
        writer.Add("x", 0, OfficialSplit.Train, "x", new byte[4]);
        Assert.Throws<ArgumentException>(() => writer.Add("x", 0, OfficialSplit.Train, "y", new byte[4]));
        Assert.Throws<ArgumentException>(() => writer.Add("z", 0, OfficialSplit.Train, "z", new byte[5]));
    }

    private static byte[][] Write(string directory)
    {
        byte[][] images = [[1, 2, 3, 4, 5, 6], [10, 20, 30, 40, 50, 60], [255, 0, 255, 0, 255, 0]];
        using var writer = new TensorStoreWriter(directory, 2, 3);
        writer.Add("first", 0, OfficialSplit.Train, "dir/first.png", images[0]);
        writer.Add("id, with \"quotes\"", 1, OfficialSplit.Validation, "dir/84%3.jpg", images[1]);
        writer.Skip("broken.png", "the PNG image cannot be decoded");
        writer.Add("third", 0, OfficialSplit.Test, "third.png", images[2]);
        writer.Complete("covid", ["a", "b"], new JsonObject { ["recipe"] = "gray", ["size"] = 2 });
        return images;
    }
}
