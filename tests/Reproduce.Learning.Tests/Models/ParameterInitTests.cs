using Reproduce.Learning.Finetuning;
using Reproduce.Learning.Models;
using Reproduce.Learning.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Models;

/// <summary>The initialisations draw PyTorch's distributions from the cell's generator, not from torch's global one.</summary>
public class ParameterInitTests
{
    [Fact]
    public void KaimingNormalFanOutHasTheReluGainOverTheOutputFan()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        var weight = empty(256, 64, 3, 3);

        ParameterInit.KaimingNormalFanOut(weight, generator);

        var expected = Math.Sqrt(2.0 / (256 * 3 * 3));
        Assert.InRange(weight.std().item<float>(), 0.99 * expected, 1.01 * expected);
        Assert.InRange(weight.mean().item<float>(), -0.01 * expected, 0.01 * expected);
    }

    [Fact]
    public void PyTorchDefaultsAreUniformWithinOneOverRootFanInForWeightsAndBiases()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(2);
        using var conv = nn.Conv2d(32, 512, 3);

        ParameterInit.PyTorchDefaults(conv, generator);

        var bound = 1 / Math.Sqrt(32 * 3 * 3);
        Assert.True(conv.weight!.abs().max().item<float>() <= bound);
        // U(−b, b) has standard deviation b/√3.
        Assert.InRange(conv.weight!.std().item<float>(), 0.99 * bound / Math.Sqrt(3), 1.01 * bound / Math.Sqrt(3));
        Assert.True(conv.bias!.abs().max().item<float>() <= bound);
        Assert.True(conv.bias!.abs().max().item<float>() > bound / 2);
    }

    [Fact]
    public void TheSameCellSeedBuildsTheSameNetworkWhateverTheGlobalGeneratorHolds()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var first = Build(seed: 7);
        manual_seed(2);
        using var second = Build(seed: 7);
        using var other = Build(seed: 8);

        var (a, b, c) = (first.state_dict(), second.state_dict(), other.state_dict());
        Assert.All(a, p => Assert.True(p.Value.eq(b[p.Key]).all().item<bool>(), $"{p.Key} depends on the global generator"));
        Assert.False(a["fc.weight"].eq(c["fc.weight"]).all().item<bool>());
        Assert.False(a["trunk.conv1.weight"].eq(c["trunk.conv1.weight"]).all().item<bool>());
    }

    private static Classifier Build(long seed)
    {
        using var random = new CellRandom(seed);
        return new Classifier(new ResNetOptions(ResNetOptions.ResNet18), classes: 3, random);
    }
}
