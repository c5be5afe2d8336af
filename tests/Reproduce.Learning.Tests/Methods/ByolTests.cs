using Reproduce.Learning.Losses;
using Reproduce.Learning.Methods;
using Reproduce.Learning.Models;
using Reproduce.Learning.Runtime;
using TorchSharp;
using Xunit.Abstractions;
using static Reproduce.Learning.Tests.Methods.PretrainingHarness;
using static Reproduce.Learning.Tests.TestSpecs;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Methods;

/// <summary>BYOL's loss, target network and EMA (METHODS.md §2.3, the tests of §2.7).</summary>
public class ByolTests(ITestOutputHelper output)
{
    private const long Batch = 8;

    [Fact]
    public void TheTargetDecayRisesFromTauBaseToOneOnACosine()
    {
        Assert.Equal(0.996, Byol.TargetDecay(0.996, 0, 1000), 12);
        Assert.Equal((1 + 0.996) / 2, Byol.TargetDecay(0.996, 500, 1000), 12);
        Assert.Equal(1, Byol.TargetDecay(0.996, 1000, 1000), 12);
        Assert.True(Byol.TargetDecay(0.99, 250, 1000) < Byol.TargetDecay(0.99, 750, 1000));
    }

    [Fact]
    public void TheTargetStartsAsAFrozenCopyThatProjectsLikeTheOnlineNetwork()
    {
        using var scope = NewDisposeScope();
        using var random = new CellRandom(1);
        using var model = Create(random);
        var online = model.Online.state_dict();
        var target = model.Target.state_dict();

        Assert.All(target, e => Assert.True(Identical(e.Value, online[e.Key]), e.Key));
        Assert.All(model.Target.parameters(), p => Assert.False(p.requires_grad));
        Assert.Contains(online.Keys, k => k.StartsWith("predictor.", StringComparison.Ordinal));
        Assert.DoesNotContain(target.Keys, k => k.StartsWith("predictor.", StringComparison.Ordinal));

        // Same parameters, same (train) BN mode, same input: the same projection.
        var images = Images(2, Batch);
        var difference = (model.Online.Project(images) - model.Target.Project(images)).abs().max().item<float>();
        Assert.True(difference < 1e-6, $"target and online projections differ by {difference}");
    }

    [Fact]
    public void TheLossAtInitIsAboutTwoPerTerm()
    {
        using var scope = NewDisposeScope();
        using var random = new CellRandom(2);
        using var model = Create(random);
        var views = Views(3, Batch);

        var first = ByolRegressionLoss.Compute(model.Online.Predict(model.Online.Project(views[0])), model.Target.Project(views[1])).item<float>();
        var second = ByolRegressionLoss.Compute(model.Online.Predict(model.Online.Project(views[1])), model.Target.Project(views[0])).item<float>();
        var total = model.Loss(views, new TrainingProgress(0, 10, 10)).item<float>();
        output.WriteLine($"BYOL loss at init (ResNet18, default heads, B = {Batch}, 32 px): terms {first:F4} + {second:F4}, total {total:F4}");

        Assert.InRange(first, 1.7, 2.3);
        Assert.InRange(second, 1.7, 2.3);
        Assert.Equal(first + second, total, 1e-5);
    }

    [Fact]
    public void BackwardReachesTheOnlineNetworkOnly()
    {
        using var scope = NewDisposeScope();
        using var random = new CellRandom(3);
        using var model = Create(random);
        model.Loss(Views(4, Batch), new TrainingProgress(0, 10, 10)).backward();

        Assert.All(model.Target.named_parameters(), p => Assert.Null(p.parameter.grad));
        Assert.All(model.Online.named_parameters(), p => Assert.True(p.parameter.grad is { } g && g.abs().sum().item<float>() > 0, $"{p.name} got no gradient"));
    }

    [Fact]
    public void AfterAStepTheTargetParametersMoveByTheScheduledEmaAndItsBuffersStay()
    {
        using var scope = NewDisposeScope();
        using var random = new CellRandom(4);
        using var model = Create(random);
        using (no_grad())
        {
            foreach (var parameter in model.Online.parameters())
            {
                parameter.add_(randn_like(parameter));
            }
        }

        using (no_grad())
        {
            // Train-mode forwards give the online BN running statistics values the target's do not have.
            model.Online.Project(Images(5, Batch));
        }

        var onlineBefore = ParametersOf(model.Online);
        var targetBefore = ParametersOf(model.Target);
        var buffersBefore = BuffersOf(model.Target);
        var progress = new TrainingProgress(250, 1000, 100);
        var tau = Byol.TargetDecay(0.996, 250, 1000);
        model.AfterStep(progress);

        foreach (var (name, parameter) in model.Target.named_parameters())
        {
            var expected = (tau * targetBefore[name]) + ((1 - tau) * onlineBefore[name]);
            Assert.True(parameter.allclose(expected, rtol: 1e-6, atol: 1e-6), $"{name} is not τξ + (1 − τ)θ");
        }

        Assert.All(model.Target.named_buffers(), b => Assert.True(Identical(b.buffer, buffersBefore[b.name]), b.name));

        // At k = K, τ = 1: the target does not move.
        var targetAtEnd = ParametersOf(model.Target);
        model.AfterStep(new TrainingProgress(1000, 1000, 100));
        Assert.All(model.Target.named_parameters(), p => Assert.True(Identical(p.parameter, targetAtEnd[p.name]), p.name));
    }

    [Fact]
    public void ThreeSgdStepsRunAndTheStateRoundTrips()
    {
        using var random = new CellRandom(5);
        using var model = Create(random);
        var losses = Train(model, Batch, steps: 3);
        output.WriteLine($"BYOL losses over 3 SGD steps: {string.Join(", ", losses.Select(l => l.ToString("F4")))}");
        Assert.All(losses, l => Assert.True(float.IsFinite(l)));

        using var freshRandom = new CellRandom(6);
        using var fresh = Create(freshRandom);
        AssertStateRoundTrips(model, random, fresh, freshRandom, Batch);
    }

    private static Byol Create(CellRandom random) => new(Spec(Byol.Descriptor), new ResNetOptions(ResNetOptions.ResNet18), random);
}
