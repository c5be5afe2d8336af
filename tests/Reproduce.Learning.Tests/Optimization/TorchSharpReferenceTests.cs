using Reproduce.Learning.Optimization;
using static Reproduce.Learning.Tests.Optimization.OptimizerTestKit;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Reproduce.Learning.Tests.Optimization;

/// <summary>SGD, Adam and AdamW follow TorchSharp's built-ins (PyTorch's formulas) step by step.</summary>
public class TorchSharpReferenceTests
{
    private static readonly double[] LearningRates = [0.1, 0.05, 0.2, 0.01, 0.07];

    [Fact]
    public void SgdWithMomentumAndWeightDecayFollowsTorchSharpSgd() =>
        AssertSameTrajectory(
            parameters => new Sgd([Group(parameters, LearningRates[0], weightDecay: 1e-2)], momentum: 0.9),
            parameters => optim.SGD(parameters, LearningRates[0], momentum: 0.9, weight_decay: 1e-2));

    [Fact]
    public void SgdWithoutMomentumFollowsTorchSharpSgd() =>
        AssertSameTrajectory(
            parameters => new Sgd([Group(parameters, LearningRates[0], weightDecay: 1e-4)]),
            parameters => optim.SGD(parameters, LearningRates[0], weight_decay: 1e-4));

    [Fact]
    public void AdamWithL2WeightDecayFollowsTorchSharpAdam() =>
        AssertSameTrajectory(
            parameters => new Adam([Group(parameters, LearningRates[0], weightDecay: 5e-2)]),
            parameters => optim.Adam(parameters, LearningRates[0], beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 5e-2));

    [Fact]
    public void AdamWFollowsTorchSharpAdamW() =>
        AssertSameTrajectory(
            parameters => new AdamW([Group(parameters, LearningRates[0], weightDecay: 0.3)], beta2: 0.95),
            parameters => optim.AdamW(parameters, LearningRates[0], beta1: 0.9, beta2: 0.95, eps: 1e-8, weight_decay: 0.3));

    /// <summary>Five steps with a new learning rate each, and a parameter without gradient in two of them.</summary>
    private static void AssertSameTrajectory(Func<IReadOnlyList<Parameter>, Optimizer> ours, Func<IReadOnlyList<Parameter>, optim.Optimizer> theirs)
    {
        using var scope = NewDisposeScope();
        Tensor[] initial = [Random(1, 4, 3), Random(2, 3), Random(3, 2, 2)];
        var mine = initial.Select(ParameterFrom).ToList();
        var reference = initial.Select(ParameterFrom).ToList();
        using var optimizer = ours(mine);
        using var builtIn = theirs(reference);

        for (var step = 0; step < LearningRates.Length; step++)
        {
            bool Skipped(int index) => index == 2 && step is 1 or 3;
            SetGradients(mine, step, Skipped);
            SetGradients(reference, step, Skipped);
            optimizer.SetLearningRate(LearningRates[step]);
            foreach (var group in builtIn.ParamGroups)
            {
                group.LearningRate = LearningRates[step];
            }

            optimizer.Step();
            builtIn.step();

            for (var i = 0; i < mine.Count; i++)
            {
                AssertClose(reference[i], mine[i], relative: 1e-6);
            }
        }

        Assert.False(Same(initial[0], reference[0]), "The parameters never moved; the comparison proves nothing.");
    }
}
