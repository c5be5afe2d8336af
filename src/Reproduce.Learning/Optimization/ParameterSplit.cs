using TorchSharp.Modules;

namespace Reproduce.Learning.Optimization;

/// <summary>A module's named parameters split by a method's rule into those with and without weight decay, in module order.</summary>
public sealed record ParameterSplit(IReadOnlyList<(string Name, Parameter Parameter)> Decay, IReadOnlyList<(string Name, Parameter Parameter)> NoDecay)
{
    /// <summary>
    /// The decay group (weight decay <paramref name="weightDecay"/>) then the no-decay group (weight decay 0,
    /// excluded from adaptation when <paramref name="excludeNoDecayFromAdaptation"/>, as BYOL's LARS needs);
    /// an empty group is left out, as SparK does.
    /// </summary>
    public IReadOnlyList<ParameterGroup> ToGroups(double learningRate, double weightDecay, bool excludeNoDecayFromAdaptation = false)
    {
        var groups = new List<ParameterGroup>();
        if (Decay.Count > 0)
        {
            groups.Add(new ParameterGroup(Decay.Select(named => named.Parameter), learningRate, weightDecay));
        }

        if (NoDecay.Count > 0)
        {
            groups.Add(new ParameterGroup(NoDecay.Select(named => named.Parameter), learningRate, 0, excludeNoDecayFromAdaptation));
        }

        return groups;
    }
}
