namespace Reproduce.Learning.Optimization;

/// <summary>
/// Lightning Bolts' <c>linear_warmup_decay(warmup_steps, total_steps, cosine=True)</c> under LambdaLR,
/// stepped per iteration, as the authors' SwAV uses it (PROTOCOL.md §5): lr(k) = base·k/max(1, W) for
/// k &lt; W, then base·½(1 + cos(π·p)) with p = (k − W)/max(1, T − W). It reaches 0 at T; past T the
/// cosine keeps going and the lr rises again, as the reference's lambda does.
/// </summary>
/// <param name="BaseLearningRate">The optimizer's lr (0.15 in the authors' SwAV).</param>
/// <param name="WarmupSteps">W, warm-up epochs × iterations per epoch as the caller computes it.</param>
/// <param name="TotalSteps">T, max_epochs × iterations per epoch as the caller computes it.</param>
public sealed record LinearWarmupDecaySchedule(double BaseLearningRate, long WarmupSteps, long TotalSteps) : ILearningRateSchedule
{
    public long WarmupSteps { get; } = WarmupSteps >= 0 ? WarmupSteps : throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "The warm-up cannot be negative.");

    public long TotalSteps { get; } = TotalSteps >= 0 ? TotalSteps : throw new ArgumentOutOfRangeException(nameof(TotalSteps), TotalSteps, "The run cannot be negative.");

    public ScheduleUnit Unit => ScheduleUnit.Iteration;

    public double LearningRate(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps)
        {
            return BaseLearningRate * ((double)step / Math.Max(1, WarmupSteps));
        }

        var progress = (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps);
        return BaseLearningRate * (0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
