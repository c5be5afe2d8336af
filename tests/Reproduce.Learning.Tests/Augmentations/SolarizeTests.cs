using Reproduce.Learning.Augmentations;
using static Reproduce.Learning.Tests.Augmentations.AugmentationFixtures;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Augmentations;

public class SolarizeTests
{
    [Fact]
    public void InvertsValuesFromHalfUp()
    {
        using var scope = NewDisposeScope();
        var image = Image(1, 5, 0.0f, 0.25f, 0.5f, 0.75f, 1.0f);
        var solarized = new Solarize().Apply(image, new SampleRandom(0));
        Assert.True(solarized.allclose(Image(1, 5, 0.0f, 0.25f, 0.5f, 0.25f, 0.0f), rtol: 0, atol: 1e-7));
    }

}
