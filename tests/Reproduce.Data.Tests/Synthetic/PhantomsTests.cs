using Reproduce.Core.Randomness;
using Reproduce.Data.Datasets;
using Reproduce.Data.Datasets.Synthetic;

namespace Reproduce.Data.Tests.Synthetic;

public class PhantomsTests
{
    private const int Size = 64;

    [Fact]
    public void TheSameSeedDrawsTheSameImage()
    {
        Assert.Equal(Phantoms.Chest(Size, new SplitMix64(1), true), Phantoms.Chest(Size, new SplitMix64(1), true));
        Assert.Equal(Phantoms.Head(Size, new SplitMix64(1), true), Phantoms.Head(Size, new SplitMix64(1), true));
        Assert.Equal(Phantoms.Organ(Size, new SplitMix64(1), 6), Phantoms.Organ(Size, new SplitMix64(1), 6));
        Assert.NotEqual(Phantoms.Chest(Size, new SplitMix64(1), true), Phantoms.Chest(Size, new SplitMix64(2), true));
    }

    [Fact]
    public void AChestSliceHasAirLungsSoftTissueAndBoneInHounsfieldUnits()
    {
        var image = Phantoms.Chest(128, new SplitMix64(3), groundGlass: false);

        Assert.Equal(128 * 128, image.Length);
        Assert.InRange(image[0], -1150, -850);
        Assert.Contains(image, p => p is > -950 and < -750);
        Assert.Contains(image, p => p is > 0 and < 80);
        Assert.Contains(image, p => p > 500);
    }

    [Fact]
    public void GroundGlassAddsDensityBetweenLungAndSoftTissue()
    {
        var (withFinding, without) = (0.0, 0.0);
        for (var i = 0; i < 40; i++)
        {
            withFinding += GroundGlassPixels(Phantoms.Chest(Size, new SplitMix64((ulong)i), true));
            without += GroundGlassPixels(Phantoms.Chest(Size, new SplitMix64((ulong)i + 1000), false));
        }

        Assert.True(withFinding > 1.5 * without, $"{withFinding} vs {without} pixels between -750 and -300 HU");

        static int GroundGlassPixels(float[] image) => image.Count(p => p is > -750 and < -300);
    }

    [Fact]
    public void ABleedAddsAHyperdenseRegionInsideTheBrain()
    {
        var bleeding = Phantoms.Head(128, new SplitMix64(5), bleed: true).Count(p => p is > 70 and < 200);
        var clean = Phantoms.Head(128, new SplitMix64(5), bleed: false).Count(p => p is > 70 and < 200);

        Assert.True(bleeding > clean + 10, $"{bleeding} vs {clean} pixels between 70 and 200 HU");
    }

    [Fact]
    public void OrgansAreGrayLevelsAndDifferByClass()
    {
        var means = Enumerable.Range(0, DatasetClasses.OrganSMnist.Count)
            .Select(organ => Enumerable.Range(0, 10).Select(i => Phantoms.Organ(Size, new SplitMix64((ulong)((organ * 100) + i)), organ)).ToList())
            .ToList();

        Assert.All(means.SelectMany(images => images).SelectMany(p => p), p => Assert.InRange(p, 0, 255));
        Assert.Equal(11, DatasetClasses.OrganSMnist.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => Phantoms.Organ(Size, new SplitMix64(1), 11));
        var femur = means[1].Average(images => images.Average());
        var lung = means[7].Average(images => images.Average());
        Assert.True(femur > lung, "bright bone crops and dark lung crops should differ on average");
    }
}
