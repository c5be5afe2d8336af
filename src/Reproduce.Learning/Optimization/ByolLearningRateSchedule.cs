namespace Reproduce.Learning.Optimization;

/// <summary>
/// DeepMind BYOL's <c>learning_schedule</c> (<c>byol/utils/schedules.py</c>, METHODS.md §2.4), per iteration:
/// lr(k) = k/W·peak for k &lt; W, then peak·½(1 + cos(π·min(k − W, K − W)/(K − W))), reaching 0 at K and staying there.
/// </summary>
/// <param name="PeakLearningRate">base_lr·B/256, already scaled.</param>
/// <param name="WarmupSteps">W, 10 epochs of iterations in the reference.</param>
/// <param name="TotalSteps">K, the run's iterations.</param>
public sealed record ByolLearningRateSchedule(double PeakLearningRate, long WarmupSteps, long TotalSteps) : ILearningRateSchedule
{
    public long WarmupSteps { get; } = WarmupSteps >= 0 ? WarmupSteps : throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "The warm-up cannot be negative.");

    public long TotalSteps { get; } = TotalSteps > WarmupSteps ? TotalSteps : throw new ArgumentOutOfRangeException(nameof(TotalSteps), TotalSteps, "The run must be longer than its warm-up.");

    public ScheduleUnit Unit => ScheduleUnit.Iteration;

    public double LearningRate(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps)
        {
            return (double)step / WarmupSteps * PeakLearningRate;
        }

        var decaySteps = TotalSteps - WarmupSteps;
        var decayed = Math.Min(step - WarmupSteps, decaySteps);
        return PeakLearningRate * (0.5 * (1 + Math.Cos(Math.PI * decayed / decaySteps)));
    }
}
