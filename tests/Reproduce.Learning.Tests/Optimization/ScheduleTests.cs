using Reproduce.Learning.Optimization;

namespace Reproduce.Learning.Tests.Optimization;

/// <summary>Every schedule at step 0, the end of its warm-up, the middle and the end, against values computed by hand.</summary>
public class ScheduleTests
{
    private const int Digits = 12;

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(5, 2.4)] // half the warm-up
    [InlineData(10, 4.8)] // end of the warm-up: the peak
    [InlineData(35, 4.097056274847714)] // 2.4·(1 + cos(π/4))
    [InlineData(60, 2.4)] // middle of the cosine
    [InlineData(110, 0.0)] // end
    [InlineData(200, 0.0)] // past the end it stays at 0
    public void ByolLearningRateWarmsUpFromZeroThenDecaysToZero(long step, double expected) =>
        Assert.Equal(expected, new ByolLearningRateSchedule(4.8, WarmupSteps: 10, TotalSteps: 110).LearningRate(step), Digits);

    [Theory]
    [InlineData(0, 0.005)] // 0.005·peak
    [InlineData(20, 0.5025)] // 0.005 + 0.995·20/40
    [InlineData(40, 1.0)] // end of the warm-up: the peak
    [InlineData(90, 0.5005)] // middle: 0.001 + 0.999·½
    [InlineData(140, 0.001)] // end (T − 1): the final ratio
    public void SparkLearningRateWarmsUpFromAFractionOfThePeakThenDecaysToTheFinalRatio(long step, double expected) =>
        Assert.Equal(expected, new SparkLearningRateSchedule(1.0, WarmupSteps: 40, TotalSteps: 141).LearningRate(step), Digits);

    [Theory]
    [InlineData(2.5, 2, 1.0)] // round(2.5) = 2: step 2 is past the warm-up
    [InlineData(3.5, 3, 0.75125)] // round(3.5) = 4: still warming up, 0.005 + 0.995·3/4
    public void SparkRoundsAFractionalWarmupHalfToEvenAsPython(double warmup, long step, double expected) =>
        Assert.Equal(expected, new SparkLearningRateSchedule(1.0, warmup, TotalSteps: 50).LearningRate(step), Digits);

    [Theory]
    [InlineData(0, 0.04)]
    [InlineData(50, 0.12)]
    [InlineData(100, 0.2)]
    public void SparkWeightDecayRisesOnACosine(long step, double expected) =>
        Assert.Equal(expected, new SparkWeightDecaySchedule(0.04, 0.2, TotalSteps: 101).WeightDecay(step), Digits);

    [Theory]
    [InlineData(0, 0.3)] // start_warmup
    [InlineData(5, 2.8)] // 0.3 + 5·4.5/9
    [InlineData(9, 4.8)] // last warm-up value: base
    [InlineData(10, 4.8)] // cosine at t = 0
    [InlineData(60, 2.4024)] // middle: final + ½(base − final)
    [InlineData(109, 0.005983070867)] // last: 0.0048 + 2.3976·(1 − cos(0.01π))
    public void SwavLearningRateIsALinspaceWarmupThenACosineToTheFinalRate(long step, double expected) =>
        Assert.Equal(expected, new SwavLearningRateSchedule(4.8, 0.0048, 0.3, WarmupSteps: 10, TotalSteps: 110).LearningRate(step), 11);

    [Fact]
    public void SwavScheduleEndsWithTheRunAndAOneStepWarmupIsItsStart()
    {
        var schedule = new SwavLearningRateSchedule(4.8, 0.0048, 0.3, WarmupSteps: 10, TotalSteps: 110);
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.LearningRate(110));
        Assert.Equal(0.3, new SwavLearningRateSchedule(4.8, 0.0048, 0.3, WarmupSteps: 1, TotalSteps: 110).LearningRate(0), Digits);
    }

    [Theory]
    [InlineData(0, 0.03)]
    [InlineData(50, 0.025606601717798)] // 0.015·(1 + cos(π/4))
    [InlineData(100, 0.015)]
    [InlineData(200, 0.0)]
    public void MoCoLearningRateIsACosinePerEpochWithoutWarmup(long epoch, double expected) =>
        Assert.Equal(expected, new MoCoCosineSchedule(0.03, Epochs: 200).LearningRate(epoch), Digits);

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(1, 1.111111111111e-4)] // 1e-3/9: the warm-up reaches the base at W − 1
    [InlineData(9, 1e-3)]
    [InlineData(10, 1e-3)] // cosine at 0
    [InlineData(55, 5e-4)] // middle
    [InlineData(79, 1.284275872613e-4)] // where the authors' run stops: ½·1e-3·(1 + cos(69π/90))
    [InlineData(100, 0.0)] // max_epochs
    [InlineData(145, 5e-4)] // past max_epochs the cosine rises again
    public void BoltsLinearWarmupCosineAnnealingPerEpoch(long epoch, double expected) =>
        Assert.Equal(expected, new LinearWarmupCosineAnnealingSchedule(1e-3, WarmupEpochs: 10, MaxEpochs: 100).LearningRate(epoch), Digits);

    [Fact]
    public void BoltsLinearWarmupCosineAnnealingStartsAtItsWarmupStart()
    {
        var schedule = new LinearWarmupCosineAnnealingSchedule(1e-3, WarmupEpochs: 10, MaxEpochs: 100, WarmupStartLearningRate: 1e-4);
        Assert.Equal(1e-4, schedule.LearningRate(0), Digits);
        Assert.Equal(6e-4, schedule.LearningRate(5), Digits);
        Assert.Equal(1e-3, new LinearWarmupCosineAnnealingSchedule(1e-3, WarmupEpochs: 1, MaxEpochs: 100).LearningRate(1), Digits);
    }

    [Fact]
    public void SchedulesSayWhetherTheyCountIterationsOrEpochs()
    {
        ILearningRateSchedule[] perIteration =
        [
            new ByolLearningRateSchedule(1, 1, 2), new SparkLearningRateSchedule(1, 1, 3),
            new SwavLearningRateSchedule(1, 0, 0, 1, 2),
        ];
        ILearningRateSchedule[] perEpoch = [new MoCoCosineSchedule(1, 2), new LinearWarmupCosineAnnealingSchedule(1, 1, 2)];

        Assert.All(perIteration, schedule => Assert.Equal(ScheduleUnit.Iteration, schedule.Unit));
        Assert.All(perEpoch, schedule => Assert.Equal(ScheduleUnit.Epoch, schedule.Unit));
    }

    [Fact]
    public void SchedulesRefuseImpossibleLengthsAndNegativeSteps()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ByolLearningRateSchedule(1, WarmupSteps: 10, TotalSteps: 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SparkLearningRateSchedule(1, WarmupSteps: 10, TotalSteps: 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearWarmupCosineAnnealingSchedule(1, WarmupEpochs: 0, MaxEpochs: 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MoCoCosineSchedule(1, Epochs: 0).LearningRate(0));
    }
}
