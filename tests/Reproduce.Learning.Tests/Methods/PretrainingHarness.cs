using System.Text.Json.Nodes;
using Reproduce.Core.Methods;
using Reproduce.Learning.Methods;
using Reproduce.Learning.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Methods;

/// <summary>What the method tests share: resolved specs, seeded images and the pre-training loop's step order.</summary>
internal static class PretrainingHarness
{
    /// <summary>Side of the test images: ResNet18's layer4 is then 1×1, the smallest input it takes.</summary>
    public const long ImageSize = 32;

    public static Tensor Images(long seed, long batch) =>
        rand([batch, 3, ImageSize, ImageSize], generator: new Generator((ulong)seed));

    /// <summary>Two independent batches standing in for a method's two views.</summary>
    public static IReadOnlyList<Tensor> Views(long seed, long batch) => [Images(seed, batch), Images(seed + 1000, batch)];

    /// <summary>
    /// <paramref name="steps"/> steps in the contract's order (Loss → backward → AfterBackward → step on
    /// Trainable → AfterStep) with plain momentum SGD; returns the losses.
    /// </summary>
    public static IReadOnlyList<float> Train(IPretrainingModel model, long batch, int steps)
    {
        using var optimizer = optim.SGD(model.Trainable.parameters(), 0.05, momentum: 0.9);
        var losses = new List<float>();
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var progress = new TrainingProgress(step, steps, steps);
            optimizer.zero_grad();
            var loss = model.Loss(Views(100 + step, batch), progress);
            loss.backward();
            model.AfterBackward(progress);
            optimizer.step();
            model.AfterStep(progress);
            losses.Add(loss.item<float>());
        }

        return losses;
    }

    /// <summary>A fresh model that loads <paramref name="trained"/>'s State state dict gives the same Loss on the same views and step-stream seed.</summary>
    public static void AssertStateRoundTrips(IPretrainingModel trained, CellRandom trainedRandom, IPretrainingModel fresh, CellRandom freshRandom, long batch)
    {
        using var scope = NewDisposeScope();
        var saved = trained.State.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().clone());
        var (missing, unexpected) = fresh.State.load_state_dict(saved);
        Assert.Empty(missing);
        Assert.Empty(unexpected);

        var views = Views(7, batch);
        var progress = new TrainingProgress(3, 10, 10);
        trainedRandom.Steps.manual_seed(5);
        var expected = trained.Loss(views, progress).item<float>();
        freshRandom.Steps.manual_seed(5);
        var actual = fresh.Loss(views, progress).item<float>();
        Assert.Equal(expected, actual);
    }

    /// <summary>Bit-for-bit equality of two tensors of the same shape.</summary>
    public static bool Identical(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>Detached copies of a module's parameters, by name.</summary>
    public static Dictionary<string, Tensor> ParametersOf(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    /// <summary>Detached copies of a module's buffers, by name.</summary>
    public static Dictionary<string, Tensor> BuffersOf(nn.Module module) =>
        module.named_buffers().ToDictionary(b => b.name, b => b.buffer.detach().clone());
}
