using Reproduce.Core.Errors;
using Reproduce.Learning.Pretraining;

namespace Reproduce.Learning.Tests.Pretraining;

public class EpochPlanTests
{
    [Fact]
    public void EachEpochIsAPermutationCutIntoFullBatches()
    {
        var plan = new EpochPlan(count: 10, batchSize: 3, epochs: 4, maxSteps: 0, seed: 7);

        Assert.Equal(3, plan.StepsPerEpoch);
        Assert.Equal(12, plan.TotalSteps);
        for (var epoch = 0; epoch < 4; epoch++)
        {
            var seen = Enumerable.Range(0, 3).SelectMany(b => plan.Batch((epoch * 3) + b)).ToList();
            Assert.Equal(9, seen.Distinct().Count());
            Assert.All(seen, i => Assert.InRange(i, 0, 9));
        }

        Assert.NotEqual(plan.Batch(0), plan.Batch(3));
    }

    [Fact]
    public void BatchesDependOnlyOnSeedAndStep()
    {
        var first = new EpochPlan(50, 8, 3, 0, seed: 1);
        var second = new EpochPlan(50, 8, 3, 0, seed: 1);

        // Asked out of order, as a resumed run does.
        Assert.Equal(first.Batch(13), second.Batch(13));
        Assert.Equal(first.Batch(2), second.Batch(2));
        Assert.NotEqual(first.Batch(2), new EpochPlan(50, 8, 3, 0, seed: 2).Batch(2));
    }

    [Fact]
    public void MaxStepsOverridesTheEpochsAndTooFewImagesAreRefused()
    {
        Assert.Equal(5, new EpochPlan(100, 10, 50, maxSteps: 5, seed: 0).TotalSteps);
        var error = Assert.Throws<UsageException>(() => new EpochPlan(7, 8, 1, 0, 0));
        Assert.Contains("7 images, fewer than one batch of 8", error.Message, StringComparison.Ordinal);
    }
}
