namespace Reproduce.Learning.Optimization;

/// <summary>
/// MoCo v2's cosine learning rate, set once per epoch with no warm-up: lr(e) = base·½(1 + cos(π·e/E)).
/// It is the official <c>main_moco.py</c> <c>--cos</c> (METHODS.md §3.1) and, in closed form, the authors'
/// CosineAnnealingLR(T_max = max_epochs) stepped per epoch with eta_min 0 (PROTOCOL.md §5).
/// </summary>
/// <param name="BaseLearningRate">0.03 at B = 256 in the reference; 0.015 in the study.</param>
/// <param name="Epochs">E, the run's epochs.</param>
public sealed record MoCoCosineSchedule(double BaseLearningRate, long Epochs) : ILearningRateSchedule
{
    public long Epochs { get; } = Epochs > 0 ? Epochs : throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "The run needs at least one epoch.");

    public ScheduleUnit Unit => ScheduleUnit.Epoch;

    public double LearningRate(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return BaseLearningRate * (0.5 * (1 + Math.Cos(Math.PI * step / Epochs)));
    }
}
