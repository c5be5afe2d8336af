using Reproduce.Learning.Augmentations;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Augmentations;

public class NormalizeTests
{
    [Fact]
    public void SubtractsTheMeanAndDividesByTheStdPerChannel()
    {
        using var scope = NewDisposeScope();
        var image = full(2, 2, 2, 0.5f);
        var normalized = new Normalize([0.5, 0.25], [0.5, 0.125]).Apply(image, new SampleRandom(0));
        Assert.True(normalized[0].allclose(zeros(2, 2), rtol: 0, atol: 1e-7));
        Assert.True(normalized[1].allclose(full(2, 2, 2.0f), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void ReferenceStatisticsAreImageNetsWithSwAVsTypo()
    {
        Assert.Equal([0.485, 0.456, 0.406], Normalize.ImageNet(3).Mean);
        Assert.Equal([0.229, 0.224, 0.225], Normalize.ImageNet(3).Std);
        Assert.Equal([0.228, 0.224, 0.225], Normalize.SwAVImageNet(3).Std);
        Assert.Equal((0.229 + 0.224 + 0.225) / 3, Normalize.ImageNet(1).Std.Single(), 12);
    }

    [Fact]
    public void CtStatisticsAreTheAuthorsOnEveryChannel()
    {
        Assert.Equal([0.1806, 0.1806, 0.1806], Normalize.Ct(3).Mean);
        Assert.Equal([0.1907], Normalize.Ct(1).Std);
    }

    [Fact]
    public void RejectsAnImageWithAnotherChannelCount()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => Normalize.ImageNet(3).Apply(zeros(1, 4, 4), new SampleRandom(0)));
    }
}
