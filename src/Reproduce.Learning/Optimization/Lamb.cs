using static TorchSharp.torch;

namespace Reproduce.Learning.Optimization;

/// <summary>
/// SparK's LAMB (<c>pretrain/utils/lamb.py</c>, the same as timm's Lamb with always_adapt=False and
/// trust_clip=False; METHODS.md §1.7). Per step:
/// <list type="number">
/// <item>‖G‖ = √(1e-12 + Σ‖g‖²) over every gradient of every group, in float32 as the reference; when
/// ‖G‖ &gt; max_norm every gradient is scaled by 1/(‖G‖/max_norm).</item>
/// <item>Each group counts its steps (also when none of its parameters has a gradient); bc1 = 1 − β1^step, bc2 = 1 − β2^step.</item>
/// <item>m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²; u = (m/bc1)/(√v/√bc2 + eps).</item>
/// <item>If the group's wd ≠ 0: u ← u + wd·p, then u ← u·‖p‖/‖u‖ (1 when either norm is 0). A group with
/// wd = 0 gets no trust ratio: SparK's no-decay group, whose wd the schedule keeps at 0.</item>
/// <item>p ← p − lr·u.</item>
/// </list>
/// </summary>
public sealed class Lamb : Optimizer
{
    private const string FirstMoment = "exp_avg";
    private const string SecondMoment = "exp_avg_sq";

    private readonly double beta1;
    private readonly double beta2;
    private readonly double epsilon;
    private readonly double maxGradientNorm;

    /// <summary>The defaults are SparK's for a ResNet (METHODS.md §1.1).</summary>
    /// <param name="maxGradientNorm">
    /// The global gradient-norm clip; 0 turns it off (the reference has no such switch: with 0 it would
    /// zero every gradient).
    /// </param>
    public Lamb(IEnumerable<ParameterGroup> groups, double beta1 = 0.9, double beta2 = 0.95, double epsilon = 1e-6, double maxGradientNorm = 5.0)
        : base(WithoutAdaptationExclusions(groups, nameof(Lamb)), new OptimizerStateLayout([FirstMoment, SecondMoment], GroupSteps: true))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        ArgumentOutOfRangeException.ThrowIfNegative(maxGradientNorm);
        this.beta1 = RequireBeta(beta1, nameof(beta1));
        this.beta2 = RequireBeta(beta2, nameof(beta2));
        this.epsilon = epsilon;
        this.maxGradientNorm = maxGradientNorm;
    }

    protected override void Update()
    {
        var clipFactor = ClipFactor();
        for (var g = 0; g < Groups.Count; g++)
        {
            var group = Groups[g];
            var step = AdvanceGroupStep(g);
            var firstCorrection = 1 - Math.Pow(beta1, step);
            var secondCorrection = 1 - Math.Pow(beta2, step);
            foreach (var (index, parameter, rawGradient) in WithGradients(g))
            {
                var gradient = clipFactor is null ? rawGradient : rawGradient * clipFactor;
                var firstMoment = ZeroInitialisedState(g, index, FirstMoment);
                var secondMoment = ZeroInitialisedState(g, index, SecondMoment);
                firstMoment.mul_(beta1).add_(gradient, alpha: 1 - beta1);
                secondMoment.mul_(beta2).addcmul_(gradient, gradient, 1 - beta2);

                var denominator = secondMoment.sqrt().div_(Math.Sqrt(secondCorrection)).add_(epsilon);
                var update = firstMoment.div(firstCorrection).div_(denominator);
                if (group.WeightDecay != 0)
                {
                    update.add_(parameter, alpha: group.WeightDecay);
                    var parameterNorm = parameter.norm();
                    var updateNorm = update.norm();
                    var one = ones_like(parameterNorm);
                    var trustRatio = where(parameterNorm.gt(0), where(updateNorm.gt(0), parameterNorm / updateNorm, one), one);
                    update.mul_(trustRatio);
                }

                parameter.add_(update, alpha: -group.LearningRate);
            }
        }
    }

    /// <summary>The factor every gradient is multiplied by, or null when clipping is off.</summary>
    private Tensor? ClipFactor()
    {
        if (maxGradientNorm == 0)
        {
            return null;
        }

        Tensor? squaredSum = null;
        for (var g = 0; g < Groups.Count; g++)
        {
            foreach (var (_, parameter, gradient) in WithGradients(g))
            {
                squaredSum ??= full(Array.Empty<long>(), 1e-12, ScalarType.Float32, parameter.device);
                squaredSum.add_(gradient.pow(2).sum());
            }
        }

        if (squaredSum is null)
        {
            return null;
        }

        var norm = squaredSum.sqrt();
        var maxNorm = full(Array.Empty<long>(), maxGradientNorm, ScalarType.Float32, norm.device);
        // Python's 1 / t is t.reciprocal() * 1.
        return where(norm.gt(maxNorm), norm / maxNorm, ones_like(norm)).reciprocal();
    }
}
