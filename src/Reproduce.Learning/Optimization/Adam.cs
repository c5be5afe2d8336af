using static TorchSharp.torch;

namespace Reproduce.Learning.Optimization;

/// <summary>
/// PyTorch's Adam (≥ 2.0, single-tensor path, no AMSGrad), with L2-style weight decay added to the
/// gradient as the study's BYOL and fine-tuning use it (PROTOCOL.md §5, §6). Per parameter, in torch's order:
/// step += 1; g ← g + wd·p; m ← lerp(m, g, 1 − β1); v ← β2·v + (1 − β2)·g²;
/// p ← p − (lr / (1 − β1^step))·m / (√v / √(1 − β2^step) + eps). The eps is outside the square root.
/// </summary>
public class Adam : Optimizer
{
    private const string FirstMoment = "exp_avg";
    private const string SecondMoment = "exp_avg_sq";

    private readonly double beta1;
    private readonly double beta2;
    private readonly double epsilon;
    private readonly bool decoupledWeightDecay;

    public Adam(IEnumerable<ParameterGroup> groups, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : this(groups, beta1, beta2, epsilon, decoupledWeightDecay: false, nameof(Adam))
    {
    }

    private protected Adam(IEnumerable<ParameterGroup> groups, double beta1, double beta2, double epsilon, bool decoupledWeightDecay, string name)
        : base(WithoutAdaptationExclusions(groups, name), new OptimizerStateLayout([FirstMoment, SecondMoment], ParameterSteps: true))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        this.beta1 = RequireBeta(beta1, nameof(beta1));
        this.beta2 = RequireBeta(beta2, nameof(beta2));
        this.epsilon = epsilon;
        this.decoupledWeightDecay = decoupledWeightDecay;
    }

    protected override void Update()
    {
        for (var g = 0; g < Groups.Count; g++)
        {
            var group = Groups[g];
            foreach (var (index, parameter, gradient) in WithGradients(g))
            {
                var step = AdvanceParameterStep(g, index);
                var direction = gradient;
                if (group.WeightDecay != 0)
                {
                    if (decoupledWeightDecay)
                    {
                        parameter.mul_(1 - (group.LearningRate * group.WeightDecay));
                    }
                    else
                    {
                        direction = gradient.add(parameter, alpha: group.WeightDecay);
                    }
                }

                var firstMoment = ZeroInitialisedState(g, index, FirstMoment);
                var secondMoment = ZeroInitialisedState(g, index, SecondMoment);
                firstMoment.lerp_(direction, tensor(1 - beta1, parameter.dtype, parameter.device));
                secondMoment.mul_(beta2).addcmul_(direction, direction, 1 - beta2);

                var stepSize = group.LearningRate / (1 - Math.Pow(beta1, step));
                var secondCorrectionRoot = Math.Sqrt(1 - Math.Pow(beta2, step));
                var denominator = secondMoment.sqrt().div_(secondCorrectionRoot).add_(epsilon);
                parameter.addcdiv_(firstMoment, denominator, -stepSize);
            }
        }
    }
}
