using Reproduce.Learning.Models;
using Reproduce.Learning.Optimization;
using Reproduce.Learning.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Optimization;

/// <summary>Each method's weight-decay rule on a module with a conv, a BN, a linear layer and a mask token.</summary>
public class ParameterGroupingTests
{
    [Fact]
    public void ByolExcludesBiasesAndBatchNormFoundByModuleType()
    {
        using var net = TinyNet();

        var split = ParameterGrouping.Byol(net);

        // head.scale is 1-D but neither a bias nor a BN parameter: BYOL decays it.
        Assert.Equal(["conv.weight", "fc.weight", "head.mask_token", "head.scale"], Names(split.Decay));
        Assert.Equal(["conv.bias", "bn.weight", "bn.bias", "fc.bias"], Names(split.NoDecay));
    }

    [Fact]
    public void ByolFindsTheTrunksBatchNormByDefault()
    {
        using var random = new CellRandom(1);
        using var trunk = new ResNet(new ResNetOptions(ResNetOptions.ResNet18), random);

        var split = ParameterGrouping.Byol(trunk);

        // ResNet18: 20 convolution weights decay; 20 BN layers give 40 excluded parameters.
        Assert.Equal(20, split.Decay.Count);
        Assert.All(split.Decay, p => Assert.EndsWith("weight", p.Name, StringComparison.Ordinal));
        Assert.Equal(40, split.NoDecay.Count);
        Assert.Contains(split.NoDecay, p => p.Name == "layer1.0.bn1.weight");
    }

    [Fact]
    public void ByolTakesACustomBatchNormTest()
    {
        using var net = TinyNet();

        var split = ParameterGrouping.Byol(net, module => module is BatchNorm or TokenHead);

        Assert.Equal(["conv.weight", "fc.weight"], Names(split.Decay));
        Assert.Equal(["conv.bias", "bn.weight", "bn.bias", "fc.bias", "head.mask_token", "head.scale"], Names(split.NoDecay));
    }

    [Fact]
    public void SparkExcludesOneDimensionalParametersBiasesAndMaskTokens()
    {
        using var net = TinyNet();

        var split = ParameterGrouping.Spark(net);

        Assert.Equal(["conv.weight", "fc.weight"], Names(split.Decay));
        Assert.Equal(["conv.bias", "bn.weight", "bn.bias", "fc.bias", "head.mask_token", "head.scale"], Names(split.NoDecay));
    }

    [Fact]
    public void SparkLeavesOutParametersThatDoNotRequireGradients()
    {
        using var net = TinyNet();
        net.get_parameter("fc.weight")!.requires_grad = false;

        var split = ParameterGrouping.Spark(net);

        Assert.Equal(["conv.weight"], Names(split.Decay));
    }

    [Fact]
    public void SwavAndMocoDecayEveryParameterFrozenOrNot()
    {
        using var net = TinyNet();
        net.get_parameter("conv.weight")!.requires_grad = false;

        var split = ParameterGrouping.AllDecay(net);

        Assert.Equal(net.named_parameters().Select(named => named.name), Names(split.Decay));
        Assert.Empty(split.NoDecay);
    }

    [Fact]
    public void SplitsBecomeADecayGroupAndAZeroDecayGroup()
    {
        using var net = TinyNet();

        var byol = ParameterGrouping.Byol(net).ToGroups(learningRate: 0.2, weightDecay: 1.5e-6, excludeNoDecayFromAdaptation: true);
        var swav = ParameterGrouping.AllDecay(net).ToGroups(learningRate: 0.15, weightDecay: 1e-6);

        Assert.Equal(2, byol.Count);
        Assert.Equal((4, 1.5e-6, false), (byol[0].Parameters.Count, byol[0].WeightDecay, byol[0].ExcludedFromAdaptation));
        Assert.Equal((4, 0.0, true), (byol[1].Parameters.Count, byol[1].WeightDecay, byol[1].ExcludedFromAdaptation));
        Assert.Equal(0.2, byol[1].LearningRate);
        var only = Assert.Single(swav);
        Assert.Equal(8, only.Parameters.Count);
    }

    private static Sequential TinyNet() =>
        nn.Sequential(
            ("conv", nn.Conv2d(1, 2, 3)),
            ("bn", nn.BatchNorm2d(2)),
            ("fc", nn.Linear(2, 3)),
            ("head", new TokenHead()));

    private static string[] Names(IEnumerable<(string Name, Parameter Parameter)> named) => [.. named.Select(entry => entry.Name)];

    /// <summary>SparK's densify mask token (1, C, 1, 1) and a 1-D parameter that is neither a bias nor BN.</summary>
    private sealed class TokenHead : nn.Module<Tensor, Tensor>
    {
        private readonly Parameter mask_token = new(zeros(1, 2, 1, 1));
        private readonly Parameter scale = new(ones(3));

        public TokenHead()
            : base(nameof(TokenHead)) => RegisterComponents();

        public override Tensor forward(Tensor input) => input;
    }
}
