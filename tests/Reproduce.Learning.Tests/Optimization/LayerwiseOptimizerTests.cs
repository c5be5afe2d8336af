using Reproduce.Learning.Optimization;
using static Reproduce.Learning.Tests.Optimization.OptimizerTestKit;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Reproduce.Learning.Tests.Optimization;

/// <summary>BYOL's LARS, apex's LARC (SwAV) and Lightning Bolts' LARS (the authors' SwAV).</summary>
public class LayerwiseOptimizerTests
{
    private const double LearningRate = 0.5;
    private const double Trust = 1e-3;

    [Fact]
    public void ByolLarsFirstStepMovesAnAdaptedParameterByLrTimesEtaTimesItsNorm()
    {
        using var scope = NewDisposeScope();
        var weight = ParameterFrom(RandomDouble(10, 8, 5));
        var before = Snapshot(weight);
        using var lars = new ByolLars([Group([weight], LearningRate, weightDecay: 0.1)], momentum: 0.9, trustCoefficient: Trust);
        SetGradients([weight], seed: 11);

        lars.Step();

        // METHODS.md §2.7: ‖Δp‖ = lr·η·‖p‖ exactly, whatever the gradient and the weight decay.
        Assert.Equal(LearningRate * Trust * Norm(before), Norm(before - weight), 1e-15);
    }

    [Fact]
    public void ByolLarsGivesExcludedParametersPlainMomentumWithoutWeightDecay()
    {
        using var scope = NewDisposeScope();
        var bias = ParameterFrom(Random(12, 6));
        var before = Snapshot(bias);
        using var lars = new ByolLars([Group([bias], LearningRate, weightDecay: 0.1, excluded: true)], momentum: 0.9, trustCoefficient: Trust);
        SetGradients([bias], seed: 13);
        var first = Snapshot(bias.grad!);

        lars.Step();
        AssertBitwiseEqual(before.add(first, alpha: -LearningRate), bias);

        var afterFirst = Snapshot(bias);
        SetGradients([bias], seed: 14);
        var second = Snapshot(bias.grad!);
        lars.Step();
        AssertClose(afterFirst - (LearningRate * ((0.9 * first) + second)), bias, relative: 1e-6);
    }

    [Fact]
    public void ByolLarsLeavesAZeroParameterUnscaled()
    {
        using var scope = NewDisposeScope();
        var zero = ParameterFrom(zeros(4));
        using var lars = new ByolLars([Group([zero], LearningRate, weightDecay: 0.1)], trustCoefficient: Trust);
        SetGradients([zero], seed: 15);
        var gradient = Snapshot(zero.grad!);

        lars.Step();

        // ‖p‖ = 0: trust ratio 1, and wd·p adds nothing.
        AssertClose(-LearningRate * gradient, zero, relative: 1e-6);
    }

    [Fact]
    public void LarcScalesTheDecayedGradientByTheTrustRatioOfAHandMadeCase()
    {
        using var scope = NewDisposeScope();
        var parameter = ParameterFrom(tensor(new[] { 3f, 4f }));
        using var larc = new Larc([Group([parameter], learningRate: 2, weightDecay: 0.1)], momentum: 0.9, trustCoefficient: Trust);
        parameter.grad = tensor(new[] { 0.6f, 0.8f });

        larc.Step();

        // ‖p‖ = 5, ‖g‖ = 1: a = 0.001·5/(1 + 0.1·5 + 1e-8) = 0.00333333331111;
        // d = (g + 0.1·p)·a = (0.9, 1.2)·a; p' = p − 2·d.
        AssertClose(tensor(new[] { 2.99400000004f, 3.99200000005f }), parameter, relative: 1e-7);
    }

    [Fact]
    public void LarcSkipsAParameterWithoutGradientEvenWithWeightDecayAndMomentum()
    {
        using var scope = NewDisposeScope();
        var prototypes = ParameterFrom(Random(20, 5, 3));
        var trunk = ParameterFrom(Random(21, 4));
        using var larc = new Larc([Group([prototypes, trunk], LearningRate, weightDecay: 0.1)], momentum: 0.9, trustCoefficient: Trust);
        SetGradients([prototypes, trunk], seed: 22);
        larc.Step();
        var frozen = Snapshot(prototypes);
        var buffer = Snapshot(larc.StateTensors()["group0.param0.momentum"]);

        // SwAV's freeze: the prototypes' gradient is null after backward (METHODS.md §4.3 step 6, §4.5).
        larc.ZeroGrad();
        SetGradients([prototypes, trunk], seed: 23, withoutGradient: index => index == 0);
        var trunkBefore = Snapshot(trunk);
        larc.Step();

        AssertBitwiseEqual(frozen, prototypes);
        AssertBitwiseEqual(buffer, larc.StateTensors()["group0.param0.momentum"]);
        Assert.False(Same(trunkBefore, trunk), "The parameter with a gradient did not move.");
    }

    [Fact]
    public void LarcLeavesTheGradientOfAZeroParameterAsItIsWithoutWeightDecay()
    {
        using var scope = NewDisposeScope();
        var zero = ParameterFrom(zeros(3));
        using var larc = new Larc([Group([zero], LearningRate, weightDecay: 0.1)], trustCoefficient: Trust);
        SetGradients([zero], seed: 24);
        var gradient = Snapshot(zero.grad!);

        larc.Step();

        AssertBitwiseEqual(zeros(3).add(gradient, alpha: -LearningRate), zero);
    }

    [Fact]
    public void LightningBoltsLarsScalesGroupsWithWeightDecayAsLarcAndLeavesTheOthersPlain()
    {
        using var scope = NewDisposeScope();
        var weight = ParameterFrom(tensor(new[] { 3f, 4f }));
        var bias = ParameterFrom(Random(40, 5));
        var biasBefore = Snapshot(bias);
        using var lars = Larc.LightningBoltsLars([Group([weight], learningRate: 2, weightDecay: 0.1), Group([bias], learningRate: 2)], trustCoefficient: Trust);
        weight.grad = tensor(new[] { 0.6f, 0.8f });
        SetGradients([bias], seed: 41);
        var biasGradient = Snapshot(bias.grad!);

        lars.Step();

        // The hand-made case of LARC above, and plain SGD where the weight decay is 0.
        AssertClose(tensor(new[] { 2.99400000004f, 3.99200000005f }), weight, relative: 1e-7);
        AssertBitwiseEqual(biasBefore.add(biasGradient, alpha: -2.0), bias);
    }

    [Fact]
    public void LarcScalesAGroupWithoutWeightDecayToo()
    {
        using var scope = NewDisposeScope();
        var initial = RandomDouble(42, 5);
        var parameter = ParameterFrom(initial);
        using var larc = new Larc([Group([parameter], LearningRate)], trustCoefficient: Trust);
        SetGradients([parameter], seed: 43);
        var gradient = Snapshot(parameter.grad!);

        larc.Step();

        // ‖Δ‖ = lr·η‖p‖/(‖g‖ + 1e-8)·‖g‖.
        Assert.Equal(LearningRate * Trust * Norm(initial) / (Norm(gradient) + 1e-8) * Norm(gradient), Norm(initial - parameter), 1e-15);
    }

    [Fact]
    public void OnlyByolLarsAcceptsGroupsExcludedFromAdaptation()
    {
        using var scope = NewDisposeScope();
        Parameter[] parameters = [ParameterFrom(Random(50, 3))];
        ParameterGroup[] excluded = [Group(parameters, LearningRate, excluded: true)];

        using var byol = new ByolLars(excluded);
        Assert.Throws<ArgumentException>(() => new Larc(excluded));
        Assert.Throws<ArgumentException>(() => Larc.LightningBoltsLars(excluded));
        Assert.Throws<ArgumentException>(() => new Sgd(excluded));
        Assert.Throws<ArgumentException>(() => new Adam(excluded));
        Assert.Throws<ArgumentException>(() => new Lamb(excluded));
    }
}
