using Reproduce.Core.Errors;
using Reproduce.Data.Arrays;

namespace Reproduce.Data.Tests.Arrays;

public class NpzArchiveTests
{
    private static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "Arrays", "TestData", name);

    [Theory]
    [InlineData("organsmnist-tiny-stored.npz")]
    [InlineData("organsmnist-tiny-deflated.npz")]
    public void TheMedMnistLayoutReadsToTheDocumentedSums(string file)
    {
        using var npz = NpzArchive.Open(Fixtures.File("npz", file));

        Assert.Equal(["test_images", "test_labels", "train_images", "train_labels", "val_images", "val_labels"], npz.Names.Order());
        foreach (var (split, count, sum) in new[] { ("train", 22, 1471109L), ("val", 11, 895090L), ("test", 11, 868663L) })
        {
            var images = npz.Read($"{split}_images");
            Assert.Equal([count, 28L, 28L], images.Shape);
            Assert.Equal("|u1", images.DType.Descriptor);
            var total = 0L;
            foreach (var pixel in images.AsBytes())
            {
                total += pixel;
            }

            Assert.Equal(sum, total);
            var labels = npz.Read($"{split}_labels");
            Assert.Equal([count, 1L], labels.Shape);
            Assert.Equal(Enumerable.Range(0, count).Select(i => (byte)(i % 11)), labels.AsBytes().ToArray());
        }
    }

    [Fact]
    public void Zip64ArchivesRead()
    {
        using var npz = NpzArchive.Open(TestData("zip64.npz"));

        var a = npz.Read("a");
        Assert.Equal([2L, 3L], a.Shape);
        Assert.Equal([0, 1, 2, 3, 4, 5], a.As<ushort>().ToArray());
        Assert.Equal([0.5f, -1f, 2f, 1e6f], npz.Read("b").As<float>().ToArray());
    }

    [Fact]
    public void AMissingArrayIsNamedWithTheArraysThatExist()
    {
        using var npz = NpzArchive.Open(TestData("zip64.npz"));

        var error = Assert.Throws<DataFormatException>(() => npz.Read("c"));

        Assert.Contains("no array 'c' (arrays: a, b)", error.Message);
    }

    [Fact]
    public void AFileThatIsNotAZipIsRejectedWithItsPath()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("not-a-zip.npz");
        File.WriteAllText(path, "this is not a zip file at all, but long enough to look for a directory");

        var error = Assert.Throws<DataFormatException>(() => NpzArchive.Open(path));

        Assert.StartsWith(path + ": not a valid .npz (zip) file", error.Message);
    }

    /// <summary>A member of 70 MB of zeros, deflated to kilobytes: refused from its declared size, before any allocation.</summary>
    [Fact]
    public void AMemberDeclaringFarMoreThanItCompressesToIsRefusedBeforeReading()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("bomb.npz");
        const int Bytes = 70 << 20;
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
        using (var member = zip.CreateEntry("images.npy", System.IO.Compression.CompressionLevel.Optimal).Open())
        {
            var header = $"{{'descr': '|u1', 'fortran_order': False, 'shape': ({Bytes},), }}".PadRight(117) + "\n";
            member.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0]);
            member.Write(System.Text.Encoding.Latin1.GetBytes(header));
            member.Write(new byte[Bytes]);
        }

        using var npz = NpzArchive.Open(path);
        var error = Assert.Throws<DataFormatException>(() => npz.Read("images"));

        Assert.Equal($"{path}!images.npy", error.Path);
        Assert.Contains("more than the 67,108,864 a member may unpack to", error.Message, StringComparison.Ordinal);
    }
}
