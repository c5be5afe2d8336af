namespace Reproduce.Learning.Optimization;

/// <summary>
/// Lightning Bolts' LinearWarmupCosineAnnealingLR stepped once per epoch, as the authors' BYOL uses it
/// (PROTOCOL.md §5), in the closed form of its <c>_get_closed_form_lr</c>: epoch 0 runs at the warm-up start;
/// lr(e) = start + e·(base − start)/(W − 1) for e &lt; W, so the warm-up reaches base at W − 1; then
/// η + ½(base − η)(1 + cos(π(e − W)/(M − W))). Past M the cosine keeps going (the lr rises again), as
/// the chained scheduler does.
/// </summary>
/// <remarks>
/// M is the scheduler's own max_epochs, which need not be the run's length: the authors hard-code 100
/// while their run stops after 300,000 iterations (≈79 epochs), so the lr never gets near η.
/// The chained updates PyTorch runs equal this closed form up to rounding.
/// </remarks>
/// <param name="BaseLearningRate">The optimizer's lr (1e-3 in the authors' BYOL).</param>
/// <param name="WarmupEpochs">W ≥ 1 (10); bolts' chained form with W = 0 would never leave the start lr.</param>
/// <param name="MaxEpochs">M (100 in the authors' code).</param>
/// <param name="WarmupStartLearningRate">The lr of epoch 0 (bolts' default 0).</param>
/// <param name="MinLearningRate">η, the cosine's floor (bolts' default 0).</param>
public sealed record LinearWarmupCosineAnnealingSchedule(
    double BaseLearningRate, long WarmupEpochs, long MaxEpochs, double WarmupStartLearningRate = 0, double MinLearningRate = 0) : ILearningRateSchedule
{
    public long WarmupEpochs { get; } = WarmupEpochs >= 1 ? WarmupEpochs : throw new ArgumentOutOfRangeException(nameof(WarmupEpochs), WarmupEpochs, "The warm-up needs at least one epoch.");

    public long MaxEpochs { get; } = MaxEpochs > WarmupEpochs ? MaxEpochs : throw new ArgumentOutOfRangeException(nameof(MaxEpochs), MaxEpochs, "max_epochs must exceed the warm-up.");

    public ScheduleUnit Unit => ScheduleUnit.Epoch;

    public double LearningRate(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step == 0)
        {
            return WarmupStartLearningRate;
        }

        if (step < WarmupEpochs)
        {
            return WarmupStartLearningRate + (step * (BaseLearningRate - WarmupStartLearningRate) / (WarmupEpochs - 1));
        }

        var progress = (double)(step - WarmupEpochs) / (MaxEpochs - WarmupEpochs);
        return MinLearningRate + (0.5 * (BaseLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * progress)));
    }
}
