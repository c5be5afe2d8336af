namespace Reproduce.Learning.Optimization;

/// <summary>
/// What state an optimizer keeps, so that <see cref="Optimizer.LoadState"/> can refuse anything else.
/// </summary>
/// <param name="ParameterTensors">Per-parameter tensors shaped like their parameter (e.g. "momentum", "exp_avg").</param>
/// <param name="ParameterSteps">Whether each parameter counts its own steps (PyTorch's Adam).</param>
/// <param name="GroupSteps">Whether each group counts its steps (timm's and SparK's LAMB).</param>
public sealed record OptimizerStateLayout(IReadOnlyList<string> ParameterTensors, bool ParameterSteps = false, bool GroupSteps = false);
