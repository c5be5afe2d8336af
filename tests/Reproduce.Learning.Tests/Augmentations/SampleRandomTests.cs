using Reproduce.Learning.Augmentations;

namespace Reproduce.Learning.Tests.Augmentations;

public class SampleRandomTests
{
    [Fact]
    public void IntegerIncludesBothEnds()
    {
        var random = new SampleRandom(7);
        var seen = Enumerable.Range(0, 400).Select(_ => random.Integer(3, 6)).ToHashSet();
        Assert.Equal([3, 4, 5, 6], seen.Order());
    }

    [Fact]
    public void UniformWithEqualBoundsIsThatBound()
    {
        var random = new SampleRandom(11);
        Assert.Equal(0.25, random.Uniform(0.25, 0.25));
        Assert.Equal(-0.0, random.Uniform(-0.0, 0.0));
    }

    [Fact]
    public void ChanceHonoursCertaintyAndImpossibility()
    {
        var random = new SampleRandom(13);
        Assert.All(Enumerable.Range(0, 100), _ => Assert.True(random.Chance(1.0)));
        Assert.All(Enumerable.Range(0, 100), _ => Assert.False(random.Chance(0.0)));
    }

    [Fact]
    public void ViewStreamsAreReproducibleAndDistinct()
    {
        static double[] Draws(SampleRandom random) => [.. Enumerable.Range(0, 4).Select(_ => random.NextDouble())];

        Assert.Equal(Draws(SampleRandom.ForView(5, 2, 1)), Draws(SampleRandom.ForView(5, 2, 1)));
        var streams = new[] { (5L, 2, 1), (5L, 2, 0), (5L, 1, 2), (6L, 2, 1) }
            .Select(key => string.Join(",", Draws(SampleRandom.ForView(key.Item1, key.Item2, key.Item3))))
            .ToList();
        Assert.Equal(streams.Count, streams.Distinct().Count());
    }
}
