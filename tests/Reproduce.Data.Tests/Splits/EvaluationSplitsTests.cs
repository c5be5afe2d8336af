using Reproduce.Core.Randomness;
using Reproduce.Data.Splits;

namespace Reproduce.Data.Tests.Splits;

/// <summary>
/// Properties of the protocols checked over many generated datasets (a seeded generator, so the
/// cases are the same on every run): disjointness, coverage, stratification and nesting.
/// </summary>
public class EvaluationSplitsTests
{
    private const int Cases = 150;

    /// <summary>A random dataset: 2–11 classes of uneven sizes spread over the official splits.</summary>
    private static List<SplitItem> Dataset(SplitMix64 random, bool withValidation = true)
    {
        var classes = 2 + random.NextInt(10);
        var items = new List<SplitItem>();
        for (var label = 0; label < classes; label++)
        {
            var size = 5 + random.NextInt(60);
            for (var i = 0; i < size; i++)
            {
                var roll = random.NextDouble();
                var split = roll < 0.2 ? OfficialSplit.Test : roll < 0.35 && withValidation ? OfficialSplit.Validation : OfficialSplit.Train;
                items.Add(new SplitItem(items.Count, label, split));
            }
        }

        random.Shuffle(items);
        return items;
    }

    private static IEnumerable<(List<SplitItem> Items, SplitMix64 Random)> Datasets(bool withValidation = true)
    {
        var random = new SplitMix64(20231120);
        for (var i = 0; i < Cases; i++)
        {
            yield return (Dataset(random, withValidation), random);
        }
    }

    [Fact]
    public void KFoldSetsAreDisjointCoverThePoolAndNeverTouchTheTestSet()
    {
        foreach (var (items, random) in Datasets())
        {
            var folds = 2 + random.NextInt(5);
            var pool = items.Where(i => i.Official != OfficialSplit.Test).Select(i => i.Index).ToHashSet();
            var test = items.Where(i => i.Official == OfficialSplit.Test).Select(i => i.Index).Order().ToList();
            var validations = new List<int>();
            for (var fold = 0; fold < folds; fold++)
            {
                var sets = EvaluationSplits.KFold(items, folds, fold, seed: 42);
                Assert.Empty(sets.Train.Intersect(sets.Validation));
                Assert.True(pool.SetEquals(sets.Train.Concat(sets.Validation)));
                Assert.Equal(test, sets.Test.Order());
                validations.AddRange(sets.Validation);
            }

            // Every pooled image validates exactly once over the folds.
            Assert.Equal(pool.Order(), validations.Order());
        }
    }

    [Fact]
    public void KFoldIsStratifiedAndBalanced()
    {
        foreach (var (items, random) in Datasets())
        {
            var folds = 2 + random.NextInt(5);
            var pool = items.Where(i => i.Official != OfficialSplit.Test).ToList();
            var sizes = new List<int>();
            for (var fold = 0; fold < folds; fold++)
            {
                var validation = EvaluationSplits.KFold(items, folds, fold, seed: 7).Validation.ToHashSet();
                sizes.Add(validation.Count);
                foreach (var group in pool.GroupBy(i => i.Label))
                {
                    var inFold = group.Count(i => validation.Contains(i.Index));
                    Assert.InRange(inFold, (group.Count() / folds) - 1, (group.Count() / folds) + 1);
                }
            }

            Assert.True(sizes.Max() - sizes.Min() <= 1, $"fold sizes {string.Join(", ", sizes)}");
        }
    }

    [Fact]
    public void KFoldDependsOnlyOnTheSeed()
    {
        var items = Dataset(new SplitMix64(5));

        Assert.Equal(EvaluationSplits.KFold(items, 5, 2, seed: 42), EvaluationSplits.KFold(items, 5, 2, seed: 42), new FoldSetsComparer());
        Assert.NotEqual(EvaluationSplits.KFold(items, 5, 2, seed: 42).Validation, EvaluationSplits.KFold(items, 5, 2, seed: 43).Validation);
    }

    [Fact]
    public void TheOfficialSplitKeepsThePublishersSets()
    {
        foreach (var (items, _) in Datasets())
        {
            var sets = EvaluationSplits.Official(items, 0.15, seed: 42);

            Assert.Equal(items.Where(i => i.Official == OfficialSplit.Train).Select(i => i.Index), sets.Train);
            Assert.Equal(items.Where(i => i.Official == OfficialSplit.Validation).Select(i => i.Index), sets.Validation);
            Assert.Equal(items.Where(i => i.Official == OfficialSplit.Test).Select(i => i.Index), sets.Test);
        }
    }

    [Fact]
    public void WithoutAnOfficialValidationSetAStratifiedShareOfTrainValidates()
    {
        foreach (var (items, _) in Datasets(withValidation: false))
        {
            var sets = EvaluationSplits.Official(items, 0.15, seed: 42);
            var train = items.Where(i => i.Official == OfficialSplit.Train).ToList();

            Assert.Empty(sets.Train.Intersect(sets.Validation));
            Assert.Equal(train.Select(i => i.Index).Order(), sets.Train.Concat(sets.Validation).Order());
            var validation = sets.Validation.ToHashSet();
            foreach (var group in train.GroupBy(i => i.Label))
            {
                Assert.Equal((int)Math.Round(group.Count() * 0.15, MidpointRounding.AwayFromZero), group.Count(i => validation.Contains(i.Index)));
            }
        }
    }

    [Theory]
    [InlineData(ReductionMode.Random)]
    [InlineData(ReductionMode.FirstN)]
    [InlineData(ReductionMode.Stratified)]
    public void SmallerFractionsAreSubsetsOfLargerOnesOfTheRightSize(ReductionMode mode)
    {
        double[] fractions = [1.0, 0.75, 0.5, 0.25, 0.1, 0.01];
        foreach (var (items, random) in Datasets())
        {
            var train = items.Where(i => i.Official == OfficialSplit.Train).ToList();
            var fold = random.NextInt(5);
            IReadOnlyList<int>? larger = null;
            foreach (var fraction in fractions)
            {
                var kept = EvaluationSplits.Reduce(train, fraction, mode, seed: 42, fold);
                Assert.Equal(Math.Max(1, (int)Math.Floor(train.Count * fraction + 1e-9)), kept.Count);
                Assert.Equal(kept.Count, kept.Distinct().Count());
                Assert.True(larger is null || kept.All(larger.Contains), $"{mode} {fraction} is not inside the larger fraction");
                larger = kept;
            }

            Assert.Equal(train.Select(i => i.Index).Order(), EvaluationSplits.Reduce(train, 1.0, mode, 42, fold).Order());
        }
    }

    [Fact]
    public void FirstNKeepsTheDatasetOrder()
    {
        var train = Enumerable.Range(0, 20).Select(i => new SplitItem(100 + i, i % 3, OfficialSplit.Train)).ToList();

        Assert.Equal([100, 101, 102, 103, 104], EvaluationSplits.Reduce(train, 0.25, ReductionMode.FirstN, 42, 0));
    }

    [Fact]
    public void StratifiedReductionKeepsClassShares()
    {
        foreach (var (items, _) in Datasets())
        {
            var train = items.Where(i => i.Official == OfficialSplit.Train).ToList();
            foreach (var fraction in new[] { 0.75, 0.5, 0.25 })
            {
                var kept = EvaluationSplits.Reduce(train, fraction, ReductionMode.Stratified, 42, 0).ToHashSet();
                foreach (var group in train.GroupBy(i => i.Label))
                {
                    var expected = group.Count() * kept.Count / (double)train.Count;
                    Assert.InRange(group.Count(i => kept.Contains(i.Index)), expected - 1.5, expected + 1.5);
                }
            }
        }
    }

    [Fact]
    public void RandomReductionDiffersBetweenFoldsButNotBetweenCalls()
    {
        var train = Enumerable.Range(0, 200).Select(i => new SplitItem(i, i % 2, OfficialSplit.Train)).ToList();

        Assert.Equal(EvaluationSplits.Reduce(train, 0.1, ReductionMode.Random, 42, 1), EvaluationSplits.Reduce(train, 0.1, ReductionMode.Random, 42, 1));
        Assert.NotEqual(EvaluationSplits.Reduce(train, 0.1, ReductionMode.Random, 42, 1), EvaluationSplits.Reduce(train, 0.1, ReductionMode.Random, 42, 2));
    }

    [Fact]
    public void ModesParseFromTheManifestNames()
    {
        Assert.Equal(ReductionMode.FirstN, EvaluationSplits.ParseMode("first-n"));
        Assert.Throws<ArgumentException>(() => EvaluationSplits.ParseMode("half"));
    }

    private sealed class FoldSetsComparer : IEqualityComparer<FoldSets>
    {
        public bool Equals(FoldSets? x, FoldSets? y) =>
            x is not null && y is not null && x.Train.SequenceEqual(y.Train) && x.Validation.SequenceEqual(y.Validation) && x.Test.SequenceEqual(y.Test);

        public int GetHashCode(FoldSets obj) => obj.Train.Count;
    }
}
