using Reproduce.Core.Randomness;

namespace Reproduce.Core.Tests.Randomness;

public class SplitMix64Tests
{
    [Fact]
    public void MatchesTheReferenceSequence()
    {
        // The first outputs for seed 1234567 of the reference C implementation (splitmix64.c by Vigna).
        var generator = new SplitMix64(1234567);

        Assert.Equal(6457827717110365317UL, generator.NextUInt64());
        Assert.Equal(3203168211198807973UL, generator.NextUInt64());
        Assert.Equal(9817491932198370423UL, generator.NextUInt64());
    }

    [Fact]
    public void NamedStreamsAreReproducibleAndIndependent()
    {
        Assert.Equal(SplitMix64.For(42, "kfold").NextUInt64(), SplitMix64.For(42, "kfold").NextUInt64());
        Assert.NotEqual(SplitMix64.For(42, "kfold").NextUInt64(), SplitMix64.For(42, "reduce").NextUInt64());
        Assert.NotEqual(SplitMix64.For(42, "kfold").NextUInt64(), SplitMix64.For(43, "kfold").NextUInt64());
    }

    [Fact]
    public void BoundedIntegersAreInRangeAndRoughlyUniform()
    {
        var generator = new SplitMix64(7);
        var counts = new int[6];
        for (var i = 0; i < 60_000; i++)
        {
            counts[generator.NextInt(6)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
        Assert.All(Enumerable.Range(0, 1000).Select(_ => generator.NextDouble()), d => Assert.InRange(d, 0, 0.9999999999));
    }

    [Fact]
    public void ShuffleIsAPermutation()
    {
        var items = Enumerable.Range(0, 100).ToList();

        new SplitMix64(3).Shuffle(items);

        Assert.NotEqual(Enumerable.Range(0, 100), items);
        Assert.Equal(Enumerable.Range(0, 100), items.Order());
    }
}
