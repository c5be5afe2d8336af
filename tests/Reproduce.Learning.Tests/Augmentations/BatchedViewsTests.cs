using Reproduce.Learning.Augmentations;
using Reproduce.Learning.Methods;
using static Reproduce.Learning.Tests.Augmentations.AugmentationFixtures;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Augmentations;

public class BatchedViewsTests
{
    public static TheoryData<string, string> EveryRecipe()
    {
        var data = new TheoryData<string, string>();
        foreach (var method in MethodRegistry.Catalog.Ids.Order())
        {
            data.Add(method, MethodViews.Reference);
            data.Add(method, MethodViews.Ct);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryRecipe))]
    public void DeviceBatchedViewsEqualPerImageViewsByteForByte(string method, string augmentation)
    {
        using var scope = NewDisposeScope();
        var views = MethodViews.Create(DefaultSpec(method, augmentation), 32, 3);
        // Enough samples that every coin of every view falls both ways somewhere in the batch.
        var images = Images(10);

        foreach (var seed in new long[] { 3, 41 })
        {
            var perImage = new ViewBatcher(views, 2).Build(images, seed);
            var batched = new ViewBatcher(views, 1, batchedOn: CPU).Build(images, seed);

            Assert.Equal(perImage.Length, batched.Length);
            Assert.All(perImage.Zip(batched, views), triple => Assert.True(BitIdentical(triple.First, triple.Second), $"{triple.Third.Name}, step seed {seed}"));
        }
    }

    [Fact]
    public void TheBatchedPathLeavesItsInputAlone()
    {
        using var scope = NewDisposeScope();
        var views = MethodViews.Create(DefaultSpec("byol", MethodViews.Reference), 32, 3);
        var images = Images(4);
        var copies = images.Select(image => image.clone()).ToList();

        _ = new ViewBatcher(views, 1, batchedOn: CPU).Build(images, 5);

        Assert.All(images.Zip(copies), pair => Assert.True(pair.Second.equal(pair.First).all().item<bool>()));
    }

    private static List<Tensor> Images(int count) =>
        [.. Enumerable.Range(0, count).Select(index => StoredPhantom(40, 44).roll(5 * index, -1).roll(index, -2))];
}
