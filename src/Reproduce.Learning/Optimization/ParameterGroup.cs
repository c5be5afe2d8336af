using TorchSharp.Modules;

namespace Reproduce.Learning.Optimization;

/// <summary>
/// Parameters that share a learning rate, a weight decay and flags, like a PyTorch param_group.
/// The training loop sets <see cref="LearningRate"/> and <see cref="WeightDecay"/> from a schedule
/// before every step (SparK also schedules the decay group's weight decay, METHODS.md §1.6).
/// </summary>
public sealed class ParameterGroup
{
    private double learningRate;
    private double weightDecay;

    /// <param name="parameters">The parameters, in a fixed order: their index names their optimizer state.</param>
    /// <param name="learningRate">The learning rate until a schedule sets another.</param>
    /// <param name="weightDecay">The weight decay; 0 for none.</param>
    /// <param name="excludedFromAdaptation">
    /// Excluded from the layer-wise trust ratio and from weight decay: BYOL's biases and BN parameters
    /// (METHODS.md §2.5). Only <see cref="ByolLars"/> has such groups; the other optimizers refuse them.
    /// </param>
    public ParameterGroup(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0, bool excludedFromAdaptation = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = [.. parameters];
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        ExcludedFromAdaptation = excludedFromAdaptation;
    }

    public IReadOnlyList<Parameter> Parameters { get; }

    public double LearningRate
    {
        get => learningRate;
        set => learningRate = NonNegative(value, nameof(LearningRate));
    }

    public double WeightDecay
    {
        get => weightDecay;
        set => weightDecay = NonNegative(value, nameof(WeightDecay));
    }

    public bool ExcludedFromAdaptation { get; }

    private static double NonNegative(double value, string name) =>
        double.IsFinite(value) && value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and non-negative.");
}
