using Reproduce.Learning.Augmentations;
using Reproduce.Learning.Methods;
using static Reproduce.Learning.Tests.Augmentations.AugmentationFixtures;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Augmentations;

public class MethodViewsTests
{
    public static TheoryData<string, string, int> EveryPipeline()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var method in MethodRegistry.Catalog.Ids.Order())
        {
            foreach (var augmentation in new[] { MethodViews.Reference, MethodViews.Ct })
            {
                data.Add(method, augmentation, 1);
                data.Add(method, augmentation, 3);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPipeline))]
    public void EveryPipelineGivesTheDocumentedViewsWithFiniteValues(string method, string augmentation, int channels)
    {
        const int size = 64;
        using var scope = NewDisposeScope();
        var views = MethodViews.Create(DefaultSpec(method, augmentation), size, channels);

        // SwAV's defaults: 2 crops of the full side, then 6 of round(64 · 96/224) = 27.
        int[] expectedSizes = method switch
        {
            "byol" or "mocov2" => [size, size],
            "swav" => [size, size, 27, 27, 27, 27, 27, 27],
            "spark" => [size],
            _ => throw new InvalidOperationException($"no expectation for method '{method}'"),
        };
        Assert.Equal(expectedSizes, views.Select(view => view.OutputSize));

        var image = Phantom(80, 72);
        for (var index = 0; index < views.Count; index++)
        {
            var output = views[index].Apply(image, SampleRandom.ForView(1, 0, index));
            Assert.Equal([channels, expectedSizes[index], expectedSizes[index]], output.shape);
            Assert.True(output.isfinite().all().item<bool>(), $"{views[index].Name} has non-finite values");
        }
    }

    [Fact]
    public void SwAVSmallCropsAre96PixelsAt224()
    {
        var views = MethodViews.Create(DefaultSpec("swav", MethodViews.Reference), 224, 3);
        Assert.Equal([224, 224, 96, 96, 96, 96, 96, 96], views.Select(view => view.OutputSize));
    }

    [Theory]
    [InlineData("byol", MethodViews.Reference, 0.229)]
    [InlineData("mocov2", MethodViews.Reference, 0.229)]
    [InlineData("swav", MethodViews.Reference, 0.228)]
    [InlineData("spark", MethodViews.Reference, 0.229)]
    [InlineData("byol", MethodViews.Ct, 0.1907)]
    [InlineData("mocov2", MethodViews.Ct, 0.1907)]
    [InlineData("swav", MethodViews.Ct, 0.1907)]
    [InlineData("spark", MethodViews.Ct, 0.1907)]
    public void EveryViewEndsWithItsNormalisation(string method, string augmentation, double firstStd)
    {
        Assert.All(MethodViews.Create(DefaultSpec(method, augmentation), 64, 3), view =>
        {
            var normalize = Assert.IsType<Normalize>(view.Transforms[^1]);
            Assert.Equal(firstStd, normalize.Std[0]);
            Assert.Equal(3, Assert.IsType<ReplicateChannels>(view.Transforms.OfType<ReplicateChannels>().Single()).Channels);
        });
    }

    [Fact]
    public void ByolReferenceViewsDifferInBlurAndSolarisation()
    {
        var views = MethodViews.Create(DefaultSpec("byol", MethodViews.Reference), 64, 3);
        Assert.Equal([1.0, 0.1], views.Select(view => ProbabilityOf<GaussianBlur>(view)));
        Assert.Equal([0.0, 0.2], views.Select(view => ProbabilityOf<Solarize>(view)));
    }

    [Fact]
    public void SwAVCropsTakeTheirScalesFromTheSpec()
    {
        var views = MethodViews.Create(DefaultSpec("swav", MethodViews.Ct), 64, 3);
        var crops = views.Select(view => view.Transforms.OfType<RandomResizedCrop>().Single()).ToList();
        Assert.All(crops[..2], crop => Assert.Equal((0.14, 1.0), (crop.MinScale, crop.MaxScale)));
        Assert.All(crops[2..], crop => Assert.Equal((0.05, 0.14), (crop.MinScale, crop.MaxScale)));
    }

    [Fact]
    public void TheAuthorsJitterEveryMoCoView()
    {
        var views = MethodViews.Create(DefaultSpec("mocov2", MethodViews.Ct), 64, 3);
        Assert.All(views, view => Assert.Single(view.Transforms.OfType<ColorJitter>()));
        Assert.All(views, view => Assert.Equal(0.5, ProbabilityOf<GaussianNoise>(view)));
    }

    [Fact]
    public void OnlyOneOrThreeChannelsAreAccepted() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MethodViews.Create(DefaultSpec("spark", MethodViews.Ct), 64, 2));

    [Fact]
    public void UnknownMethodsAreRejected()
    {
        var spec = DefaultSpec("spark", MethodViews.Reference) with { Id = "simclr" };
        Assert.Throws<ArgumentException>(() => MethodViews.Create(spec, 64, 3));
    }

    private static double ProbabilityOf<TTransform>(ViewPipeline view) =>
        view.Transforms.OfType<RandomApply>().Single(apply => apply.Transform is TTransform).Probability;
}
