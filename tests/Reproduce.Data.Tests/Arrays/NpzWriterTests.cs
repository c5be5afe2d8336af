using System.IO.Compression;
using Reproduce.Data.Arrays;

namespace Reproduce.Data.Tests.Arrays;

/// <summary>The .npz files NpzWriter makes are what numpy.savez_compressed makes, as far as NpzArchive can tell, and are reproducible.</summary>
public class NpzWriterTests
{
    private static readonly byte[] Images = [.. Enumerable.Range(0, 4 * 5 * 5).Select(i => (byte)(i % 7))];

    [Fact]
    public void ArraysReadBackWithTheirNamesShapesTypesAndValues()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("a.npz");

        NpzWriter.Write(path, [("train_images", NpyArray.UInt8([4, 5, 5], Images)), ("train_labels", NpyArray.UInt8([4, 1], [3, 0, 10, 6]))]);

        using var npz = NpzArchive.Open(path);
        Assert.Equal(["train_images", "train_labels"], npz.Names);
        var images = npz.Read("train_images");
        var labels = npz.Read("train_labels");
        Assert.Equal("|u1", images.DType.Descriptor);
        Assert.Equal([4L, 5, 5], images.Shape);
        Assert.Equal(Images, images.AsBytes().ToArray());
        Assert.Equal("|u1", labels.DType.Descriptor);
        Assert.Equal([4L, 1], labels.Shape);
        Assert.Equal([3, 0, 10, 6], labels.AsBytes().ToArray());
    }

    [Fact]
    public void MembersAreDeflatedNpyFilesWithAFixedTimeStamp()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("a.npz");

        NpzWriter.Write(path, [("x", NpyArray.UInt8([4, 5, 5], Images))]);

        using var zip = ZipFile.OpenRead(path);
        var entry = Assert.Single(zip.Entries);
        Assert.Equal("x.npy", entry.FullName);
        Assert.True(entry.CompressedLength < entry.Length, "a savez_compressed member is deflated");
        Assert.Equal(new DateTime(1980, 1, 1), entry.LastWriteTime.DateTime);
    }

    [Fact]
    public void TheSameArraysGiveTheSameBytes()
    {
        using var folder = new TempFolder();

        NpzWriter.Write(folder.Combine("a.npz"), [("x", NpyArray.UInt8([4, 5, 5], Images))]);
        NpzWriter.Write(folder.Combine("b.npz"), [("x", NpyArray.UInt8([4, 5, 5], Images))]);

        Assert.Equal(File.ReadAllBytes(folder.Combine("a.npz")), File.ReadAllBytes(folder.Combine("b.npz")));
    }

    [Fact]
    public void ARepeatedNameIsRefusedAndNothingIsWritten()
    {
        using var folder = new TempFolder();
        var x = NpyArray.UInt8([1], [1]);

        Assert.Throws<ArgumentException>(() => NpzWriter.Write(folder.Combine("a.npz"), [("x", x), ("x", x)]));

        Assert.Empty(Directory.GetFiles(folder.Path));
    }
}
