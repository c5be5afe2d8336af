using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reproduce.Learning.Optimization;

/// <summary>
/// The SGD family: each optimizer turns a gradient into a direction d (weight decay, trust ratio …),
/// then PyTorch SGD's heavy-ball step with dampening 0 and no Nesterov: b ← d on the first step
/// (a copy), b ← m·b + d afterwards, p ← p − lr·b; with m = 0, p ← p − lr·d and no buffer.
/// </summary>
public abstract class HeavyBallOptimizer : Optimizer
{
    private const string MomentumBuffer = "momentum";

    private readonly double momentum;

    protected HeavyBallOptimizer(IEnumerable<ParameterGroup> groups, double momentum)
        : base(groups, new OptimizerStateLayout(momentum == 0 ? [] : [MomentumBuffer]))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        this.momentum = momentum;
    }

    protected sealed override void Update()
    {
        for (var g = 0; g < Groups.Count; g++)
        {
            var group = Groups[g];
            foreach (var (index, parameter, gradient) in WithGradients(g))
            {
                var direction = Direction(group, parameter, gradient);
                parameter.add_(Accumulate(g, index, direction), alpha: -group.LearningRate);
            }
        }
    }

    /// <summary>The direction of one parameter this step, before momentum and learning rate.</summary>
    protected abstract Tensor Direction(ParameterGroup group, Parameter parameter, Tensor gradient);

    private Tensor Accumulate(int group, int index, Tensor direction)
    {
        if (momentum == 0)
        {
            return direction;
        }

        return FindState(group, index, MomentumBuffer) is { } buffer
            ? buffer.mul_(momentum).add_(direction)
            : KeepState(group, index, MomentumBuffer, direction.clone());
    }
}
