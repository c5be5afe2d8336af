using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reproduce.Learning.Optimization;

/// <summary>
/// LARS as DeepMind's BYOL builds it (<c>byol/utils/optimizers.py</c>: add_weight_decay, scale_by_lars,
/// scale(−lr); METHODS.md §2.5). For a parameter of a group not excluded from adaptation:
/// d = g + wd·p, then d ← d·η‖p‖/‖d‖ when ‖p‖ &gt; 0 and ‖d‖ &gt; 0 (no eps). Groups excluded from
/// adaptation (biases and BN) use d = g: no weight decay, whatever their <see cref="ParameterGroup.WeightDecay"/>,
/// and no trust ratio. Then μ ← m·μ + d with μ starting at 0, i.e. the heavy-ball step of
/// <see cref="HeavyBallOptimizer"/> (μ = d after the first step either way), and p ← p − lr·μ.
/// </summary>
public sealed class ByolLars : HeavyBallOptimizer
{
    private readonly double trustCoefficient;

    public ByolLars(IEnumerable<ParameterGroup> groups, double momentum = 0.9, double trustCoefficient = 1e-3)
        : base(groups, momentum)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trustCoefficient);
        this.trustCoefficient = trustCoefficient;
    }

    protected override Tensor Direction(ParameterGroup group, Parameter parameter, Tensor gradient)
    {
        if (group.ExcludedFromAdaptation)
        {
            return gradient;
        }

        var decayed = gradient + (parameter * group.WeightDecay);
        var parameterNorm = parameter.norm();
        var decayedNorm = decayed.norm();
        var one = ones_like(parameterNorm);
        // jnp.where as in the reference: a division by a zero norm is computed and discarded.
        var trustRatio = where(parameterNorm.gt(0), where(decayedNorm.gt(0), parameterNorm * trustCoefficient / decayedNorm, one), one);
        return decayed * trustRatio;
    }
}
