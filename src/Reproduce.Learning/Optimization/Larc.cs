using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reproduce.Learning.Optimization;

/// <summary>
/// apex's LARC with clip=False around PyTorch SGD, as the official SwAV uses it (METHODS.md §4.3), and, through
/// <see cref="LightningBoltsLars"/>, Lightning Bolts' LARS, as the authors' SwAV uses it (PROTOCOL.md §5).
/// For every parameter with a gradient, with no exclusion of BN or biases:
/// a = η‖p‖/(‖g‖ + wd‖p‖ + eps) and d = (g + wd·p)·a when ‖p‖ ≠ 0 and ‖g‖ ≠ 0, otherwise d = g without
/// weight decay; then the heavy-ball step of <see cref="HeavyBallOptimizer"/> with weight decay 0 (LARC
/// zeroes the group's during the inner SGD step). A parameter whose gradient is null is skipped entirely,
/// momentum and weight decay included: SwAV's prototype freeze nulls the prototype gradients (§4.3 step 6).
/// </summary>
public sealed class Larc : HeavyBallOptimizer
{
    private readonly double trustCoefficient;
    private readonly double epsilon;
    private readonly bool scalesGroupsWithoutWeightDecay;

    /// <param name="trustCoefficient">η; SwAV passes 0.001 (apex's default is 0.02).</param>
    public Larc(IEnumerable<ParameterGroup> groups, double momentum = 0.9, double trustCoefficient = 1e-3, double epsilon = 1e-8)
        : this(groups, momentum, trustCoefficient, epsilon, scalesGroupsWithoutWeightDecay: true, nameof(Larc))
    {
    }

    private Larc(IEnumerable<ParameterGroup> groups, double momentum, double trustCoefficient, double epsilon, bool scalesGroupsWithoutWeightDecay, string name)
        : base(WithoutAdaptationExclusions(groups, name), momentum)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trustCoefficient);
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        this.trustCoefficient = trustCoefficient;
        this.epsilon = epsilon;
        this.scalesGroupsWithoutWeightDecay = scalesGroupsWithoutWeightDecay;
    }

    /// <summary>
    /// Lightning Bolts' LARS (<c>pl_bolts/optimizers/lars.py</c>; the authors' SwAV passes momentum 0.9 and trust
    /// coefficient 0.001 and keeps eps 1e-8, dampening 0 and no Nesterov). Its update is LARC's, except that groups
    /// with weight decay 0 are not scaled at all ("to ensure consistency with papers like SimCLR and BYOL", its
    /// docstring). With the authors' settings (weight decay 1e-6 on every parameter, <c>exclude_bn_bias</c> off)
    /// it is LARC. Bolts computes ‖p‖/(…)·η where apex computes η·‖p‖/(…); this class uses apex's order for both,
    /// which can differ in the last bit of the trust ratio.
    /// </summary>
    public static Larc LightningBoltsLars(IEnumerable<ParameterGroup> groups, double momentum = 0.9, double trustCoefficient = 1e-3, double epsilon = 1e-8) =>
        new(groups, momentum, trustCoefficient, epsilon, scalesGroupsWithoutWeightDecay: false, "Lightning Bolts' LARS");

    protected override Tensor Direction(ParameterGroup group, Parameter parameter, Tensor gradient)
    {
        if (group.WeightDecay == 0 && !scalesGroupsWithoutWeightDecay)
        {
            return gradient;
        }

        var parameterNorm = parameter.norm();
        var gradientNorm = gradient.norm();
        // apex: trust_coefficient * param_norm / (grad_norm + param_norm * weight_decay + eps),
        // then grad += weight_decay * p and grad *= adaptive_lr, in that order.
        var adaptiveRate = trustCoefficient * parameterNorm / (gradientNorm + (parameterNorm * group.WeightDecay) + epsilon);
        var adapted = (gradient + (parameter * group.WeightDecay)) * adaptiveRate;
        return where(parameterNorm.ne(0).logical_and(gradientNorm.ne(0)), adapted, gradient);
    }
}
