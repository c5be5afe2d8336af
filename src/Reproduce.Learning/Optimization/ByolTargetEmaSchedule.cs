namespace Reproduce.Learning.Optimization;

/// <summary>
/// BYOL's target-network EMA rate (<c>byol/utils/schedules.py</c> <c>target_ema</c>, METHODS.md §2.3 step 6):
/// τ_k = 1 − (1 − τ_base)·(cos(π·min(k, K)/K) + 1)/2, so τ_0 = τ_base, τ_{K/2} = (1 + τ_base)/2 and τ_K = 1.
/// </summary>
/// <param name="BaseTau">τ_base, e.g. 0.996.</param>
/// <param name="TotalSteps">K, the run's iterations.</param>
public sealed record ByolTargetEmaSchedule(double BaseTau, long TotalSteps)
{
    public double BaseTau { get; } = BaseTau is >= 0 and <= 1 ? BaseTau : throw new ArgumentOutOfRangeException(nameof(BaseTau), BaseTau, "τ lies in [0, 1].");

    public long TotalSteps { get; } = TotalSteps > 0 ? TotalSteps : throw new ArgumentOutOfRangeException(nameof(TotalSteps), TotalSteps, "The run needs at least one step.");

    /// <summary>τ for the target update after the optimizer step of iteration <paramref name="step"/>.</summary>
    public double Tau(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var decay = 0.5 * (1 + Math.Cos(Math.PI * Math.Min(step, TotalSteps) / TotalSteps));
        return 1 - ((1 - BaseTau) * decay);
    }
}
