namespace Reproduce.Learning.Optimization;

/// <summary>
/// SparK's weight decay (<c>pretrain/utils/lr_control.py</c>, METHODS.md §1.6), per iteration, a cosine that
/// rises from <paramref name="Start"/> to <paramref name="End"/>: wd(it) = End + (Start − End)·(½ + ½·cos(π·it/(T − 1))).
/// The loop sets it on the decay group only; the no-decay group keeps 0.
/// </summary>
/// <param name="Start">0.04 in the reference.</param>
/// <param name="End">0.2 in the reference.</param>
/// <param name="TotalSteps">T = epochs × iterations per epoch.</param>
public sealed record SparkWeightDecaySchedule(double Start, double End, long TotalSteps)
{
    public long TotalSteps { get; } = TotalSteps >= 2 ? TotalSteps : throw new ArgumentOutOfRangeException(nameof(TotalSteps), TotalSteps, "The cosine needs at least two steps.");

    public double WeightDecay(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var ratio = (double)step / (TotalSteps - 1);
        return End + ((Start - End) * (0.5 + (0.5 * Math.Cos(Math.PI * ratio))));
    }
}
