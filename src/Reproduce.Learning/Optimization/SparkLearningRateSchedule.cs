namespace Reproduce.Learning.Optimization;

/// <summary>
/// SparK's learning rate (<c>pretrain/utils/lr_control.py</c> <c>lr_wd_annealing</c>, METHODS.md §1.6), per iteration,
/// with wp = round(W) (Python's round, half to even):
/// lr(it) = 0.005·peak + 0.995·peak·it/wp for it &lt; wp, then
/// peak·(f + (1 − f)·(½ + ½·cos(π·(it − wp)/(T − 1 − wp)))) with f the final ratio (0.001).
/// </summary>
/// <param name="PeakLearningRate">base_lr·B/256, already scaled.</param>
/// <param name="WarmupSteps">W = warm-up epochs × iterations per epoch, possibly fractional as in the reference.</param>
/// <param name="TotalSteps">T = epochs × iterations per epoch.</param>
/// <param name="FinalRatio">f, the cosine's end as a fraction of the peak.</param>
public sealed record SparkLearningRateSchedule(double PeakLearningRate, double WarmupSteps, long TotalSteps, double FinalRatio = 0.001) : ILearningRateSchedule
{
    private const double StartRatio = 0.005;

    public double WarmupSteps { get; } = WarmupSteps >= 0 ? WarmupSteps : throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "The warm-up cannot be negative.");

    public long TotalSteps { get; } = TotalSteps - 1 > Math.Round(WarmupSteps, MidpointRounding.ToEven)
        ? TotalSteps
        : throw new ArgumentOutOfRangeException(nameof(TotalSteps), TotalSteps, "The run must be longer than its warm-up plus one step.");

    public ScheduleUnit Unit => ScheduleUnit.Iteration;

    public double LearningRate(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var warmup = Math.Round(WarmupSteps, MidpointRounding.ToEven);
        if (step < warmup)
        {
            return (StartRatio * PeakLearningRate) + ((1 - StartRatio) * PeakLearningRate * step / warmup);
        }

        var ratio = (step - warmup) / (TotalSteps - 1 - warmup);
        return (FinalRatio * PeakLearningRate) + ((1 - FinalRatio) * PeakLearningRate * (0.5 + (0.5 * Math.Cos(Math.PI * ratio))));
    }
}
