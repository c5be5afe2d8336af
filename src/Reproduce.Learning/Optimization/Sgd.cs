using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reproduce.Learning.Optimization;

/// <summary>
/// PyTorch's SGD with dampening 0 and without Nesterov, as MoCo v2 uses it (METHODS.md §3.1,
/// PROTOCOL.md §5): d = g + wd·p, then the heavy-ball step of <see cref="HeavyBallOptimizer"/>.
/// </summary>
public sealed class Sgd(IEnumerable<ParameterGroup> groups, double momentum = 0)
    : HeavyBallOptimizer(WithoutAdaptationExclusions(groups, nameof(Sgd)), momentum)
{
    protected override Tensor Direction(ParameterGroup group, Parameter parameter, Tensor gradient) =>
        group.WeightDecay != 0 ? gradient.add(parameter, alpha: group.WeightDecay) : gradient;
}
