using Reproduce.Learning.Optimization;
using static Reproduce.Learning.Tests.Optimization.OptimizerTestKit;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Optimization;

/// <summary>SparK's LAMB (METHODS.md §1.7, §1.8).</summary>
public class LambTests
{
    private const double LearningRate = 0.01;

    [Fact]
    public void FirstStepMovesANoDecayParameterByLrTimesTheSignOfItsGradient()
    {
        using var scope = NewDisposeScope();
        var bias = ParameterFrom(RandomDouble(1, 50));
        var before = Snapshot(bias);
        using var lamb = new Lamb([Group([bias], LearningRate)], maxGradientNorm: 0);
        // Gradients kept away from 0, where g/(|g| + eps) is no longer ±1.
        var gradient = RandomDouble(2, 50);
        bias.grad = gradient + (0.1 * gradient.sign());

        lamb.Step();

        // u = (m/bc1)/(√v/√bc2 + eps) = g/(|g| + 1e-6) at step 1; no trust ratio without weight decay.
        AssertClose(LearningRate * gradient.sign(), before - bias, relative: 1e-4);
    }

    [Fact]
    public void FirstStepMovesADecayParameterByLrTimesItsNorm()
    {
        using var scope = NewDisposeScope();
        var weight = ParameterFrom(RandomDouble(3, 7, 9));
        var before = Snapshot(weight);
        using var lamb = new Lamb([Group([weight], LearningRate, weightDecay: 0.04)]);
        SetGradients([weight], seed: 4);

        lamb.Step();

        Assert.Equal(LearningRate * Norm(before), Norm(before - weight), 1e-15);
    }

    [Theory]
    [InlineData(50.0, 5.0, 0.1)] // clipped to a global norm of 5
    [InlineData(3.0, 5.0, 1.0)] // below the threshold: untouched
    [InlineData(50.0, 0.0, 1.0)] // clipping off
    public void ClipsTheGlobalGradientNormAcrossGroupsBeforeTheMoments(double globalNorm, double maxNorm, double expectedScale)
    {
        using var scope = NewDisposeScope();
        var weight = ParameterFrom(RandomDouble(5, 4, 4));
        var bias = ParameterFrom(RandomDouble(6, 4));
        using var lamb = new Lamb([Group([weight], LearningRate, weightDecay: 0.05), Group([bias], LearningRate)], maxGradientNorm: maxNorm);
        var weightGradient = RandomDouble(7, 4, 4);
        var biasGradient = RandomDouble(8, 4);
        var scale = globalNorm / Math.Sqrt(Norm(weightGradient) * Norm(weightGradient) + (Norm(biasGradient) * Norm(biasGradient)));
        weight.grad = weightGradient * scale;
        bias.grad = biasGradient * scale;

        lamb.Step();

        // m after one step is (1 − β1)·(clipped g) = 0.1·(clipped g).
        var state = lamb.StateTensors();
        AssertClose(0.1 * expectedScale * weight.grad, state["group0.param0.exp_avg"], relative: 1e-6);
        AssertClose(0.1 * expectedScale * bias.grad, state["group1.param0.exp_avg"], relative: 1e-6);
    }

    [Fact]
    public void EachGroupCountsItsStepsEvenWithoutGradients()
    {
        using var scope = NewDisposeScope();
        var weight = ParameterFrom(Random(9, 3, 3));
        var idle = ParameterFrom(Random(10, 3));
        using var lamb = new Lamb([Group([weight], LearningRate, weightDecay: 0.04), Group([idle], LearningRate)]);

        for (var step = 0; step < 3; step++)
        {
            lamb.ZeroGrad();
            SetGradients([weight], seed: 11 + step);
            lamb.Step();
        }

        var state = lamb.StateTensors();
        Assert.Equal(3L, state["group0.step"].item<long>());
        Assert.Equal(3L, state["group1.step"].item<long>());
        Assert.DoesNotContain("group1.param0.exp_avg", state.Keys);
    }
}
