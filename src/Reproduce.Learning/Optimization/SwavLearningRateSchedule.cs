namespace Reproduce.Learning.Optimization;

/// <summary>
/// The official SwAV's learning rate (<c>main_swav.py</c>, METHODS.md §4.3), per iteration: the first W values
/// are numpy's linspace(start_warmup, base, W) (the last is base exactly), then
/// final + ½(base − final)(1 + cos(π·t/T_cos)) with t = it − W and T_cos = T − W.
/// </summary>
/// <param name="BaseLearningRate">base_lr (4.8 at B = 4096).</param>
/// <param name="FinalLearningRate">final_lr (0.0048).</param>
/// <param name="StartWarmupLearningRate">start_warmup (0.3).</param>
/// <param name="WarmupSteps">W = warm-up epochs × iterations per epoch.</param>
/// <param name="TotalSteps">T = epochs × iterations per epoch; the reference's array has exactly T entries.</param>
public sealed record SwavLearningRateSchedule(double BaseLearningRate, double FinalLearningRate, double StartWarmupLearningRate, long WarmupSteps, long TotalSteps)
    : ILearningRateSchedule
{
    public long WarmupSteps { get; } = WarmupSteps >= 0 ? WarmupSteps : throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "The warm-up cannot be negative.");

    public long TotalSteps { get; } = TotalSteps > WarmupSteps ? TotalSteps : throw new ArgumentOutOfRangeException(nameof(TotalSteps), TotalSteps, "The run must be longer than its warm-up.");

    public ScheduleUnit Unit => ScheduleUnit.Iteration;

    /// <exception cref="ArgumentOutOfRangeException">Past the run's end, where the reference's schedule array ends.</exception>
    public double LearningRate(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, TotalSteps);
        if (step < WarmupSteps)
        {
            // numpy's linspace: i·((stop − start)/(n − 1)) + start, the last value set to stop, and [start] when n = 1.
            if (WarmupSteps == 1)
            {
                return StartWarmupLearningRate;
            }

            return step == WarmupSteps - 1
                ? BaseLearningRate
                : (step * ((BaseLearningRate - StartWarmupLearningRate) / (WarmupSteps - 1))) + StartWarmupLearningRate;
        }

        var cosineSteps = TotalSteps - WarmupSteps;
        return FinalLearningRate + (0.5 * (BaseLearningRate - FinalLearningRate) * (1 + Math.Cos(Math.PI * (step - WarmupSteps) / cosineSteps)));
    }
}
