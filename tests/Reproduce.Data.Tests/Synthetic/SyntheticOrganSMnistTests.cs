using System.IO.Compression;
using Reproduce.Core.Manifests;
using Reproduce.Data.Arrays;
using Reproduce.Data.Datasets;
using Reproduce.Data.Datasets.Synthetic;

namespace Reproduce.Data.Tests.Synthetic;

/// <summary>The OrganSMNIST stand-in is a MedMNIST-format npz that NpzArchive reads, with every class in every split.</summary>
public class SyntheticOrganSMnistTests
{
    private static readonly SyntheticSpec Spec = new() { Size = 28, Train = 40, Validation = 11, Test = 12 };

    [Fact]
    public void TheNpzHoldsSixUInt8ArraysOfMedMnistShapes()
    {
        using var folder = SyntheticTestSupport.Write(Identifiers.OrganSMnist, Spec);

        Assert.Equal(["organsmnist.npz"], SyntheticTestSupport.Files(folder.Path));
        using var npz = NpzArchive.Open(folder.Combine(RawLayouts.OrganSMnistFile(28)));
        Assert.Equal(["train_images", "val_images", "test_images", "train_labels", "val_labels", "test_labels"], npz.Names);
        foreach (var (split, count) in new[] { ("train", 40L), ("val", 11L), ("test", 12L) })
        {
            var images = npz.Read($"{split}_images");
            var labels = npz.Read($"{split}_labels");
            Assert.Equal(("|u1", "|u1"), (images.DType.Descriptor, labels.DType.Descriptor));
            Assert.Equal([count, 28, 28], images.Shape);
            Assert.Equal([count, 1], labels.Shape);
            Assert.Equal(Enumerable.Range(0, 11), labels.AsBytes().ToArray().Select(l => (int)l).Distinct().Order());
            Assert.True(images.AsBytes().ToArray().Distinct().Count() > 100, "images are textured gray levels");
        }
    }

    [Fact]
    public void MembersAreDeflatedAsSavezCompressedWritesThem()
    {
        using var folder = SyntheticTestSupport.Write(Identifiers.OrganSMnist, Spec);

        using var zip = ZipFile.OpenRead(folder.Combine("organsmnist.npz"));
        Assert.All(zip.Entries, entry => Assert.True(entry.CompressedLength < entry.Length, entry.FullName));
    }

    [Fact]
    public void OtherSizesUseTheMedMnistPlusFileName()
    {
        using var folder = SyntheticTestSupport.Write(Identifiers.OrganSMnist, Spec with { Size = 64, Train = 2, Validation = 0, Test = 2 });

        using var npz = NpzArchive.Open(folder.Combine("organsmnist_64.npz"));
        Assert.Equal([2L, 64, 64], npz.Read("train_images").Shape);
        Assert.Equal([0L, 64, 64], npz.Read("val_images").Shape);
        Assert.Equal([0L, 1], npz.Read("val_labels").Shape);
    }

    [Fact]
    public void LabelsFollowTheV2TrainingDistribution()
    {
        var labels = SyntheticOrganSMnist.Labels(13940);
        var perClass = Enumerable.Range(0, 11).Select(c => labels.Count(l => l == c)).ToList();

        Assert.Equal(13940, labels.Count);
        Assert.InRange(perClass[6] / 13940.0, 0.2475, 0.2495);
        Assert.InRange(perClass[2] / 13940.0, 0.0436, 0.0446);
        Assert.Equal(6, perClass.IndexOf(perClass.Max()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(11)]
    [InlineData(23)]
    public void SmallSplitsGetEveryClassWhenThereIsRoom(int count)
    {
        var labels = SyntheticOrganSMnist.Labels(count);

        Assert.Equal(count, labels.Count);
        Assert.Equal(Math.Min(count, 11), labels.Distinct().Count());
    }
}
