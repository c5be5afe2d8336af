using Reproduce.Learning.Models;
using Reproduce.Learning.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Models;

/// <summary>The shared trunk: torchvision names and sizes (METHODS.md §0.2) and SparK's sparse-encoder invariants (§1.4, §1.8).</summary>
public class ResNetTests
{
    [Theory]
    // METHODS.md §0.2 (measured with torchvision): 23,508,032 parameters without fc, 23,501,760 with a 1-channel conv1.
    [InlineData("resnet50", 3, 23_508_032L)]
    [InlineData("resnet50", 1, 23_501_760L)]
    // torchvision resnet18: 11,689,512 with its 1000-way fc of 513,000.
    [InlineData("resnet18", 3, 11_176_512L)]
    public void ParameterCountsMatchTorchvisionWithoutFc(string arch, int inChannels, long expected)
    {
        using var random = new CellRandom(1);
        using var net = new ResNet(new ResNetOptions(arch, inChannels), random);
        Assert.Equal(expected, net.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void TheResnet50StateDictHasTorchvisionKeys()
    {
        using var random = new CellRandom(1);
        using var net = new ResNet(new ResNetOptions(ResNetOptions.ResNet50), random);
        var keys = net.state_dict().Keys.ToHashSet();

        // 53 convolutions and 53 BN layers: 159 parameters and 159 buffers (METHODS.md §0.2).
        Assert.Equal(318, keys.Count);
        Assert.Equal(159, net.parameters().Count());
        string[] expected =
        [
            "conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked",
            "layer1.0.conv1.weight", "layer1.0.conv3.weight", "layer1.0.bn3.running_var",
            "layer1.0.downsample.0.weight", "layer1.0.downsample.1.num_batches_tracked",
            "layer2.3.conv2.weight", "layer3.5.bn2.bias", "layer4.0.downsample.1.weight", "layer4.2.bn3.weight",
        ];
        Assert.All(expected, key => Assert.Contains(key, keys));
        Assert.DoesNotContain(keys, k => k.StartsWith("fc.", StringComparison.Ordinal) || k.Contains("layer1.1.downsample", StringComparison.Ordinal));
        Assert.Equal(ScalarType.Int64, net.state_dict()["bn1.num_batches_tracked"].dtype);
    }

    [Fact]
    public void StageOutputsHaveStrides4To32AndThePooledFeaturesTheLastWidth()
    {
        using var scope = NewDisposeScope();
        using var random = new CellRandom(1);
        using var net = new ResNet(new ResNetOptions(ResNetOptions.ResNet18), random);
        var stages = net.Stages(Seeded(3, 2, 3, 64, 64));

        Assert.Equal([[2L, 64, 16, 16], [2L, 128, 8, 8], [2L, 256, 4, 4], [2L, 512, 2, 2]], stages.Select(s => s.shape));
        Assert.Equal([2L, 512], net.forward(Seeded(4, 2, 3, 64, 64)).shape);
        Assert.Equal(512, net.FeatureDim);
    }

    [Fact]
    public void ZeroInitLastBnZeroesTheLastGammaOfEveryBlock()
    {
        using var random = new CellRandom(1);
        using var net = new ResNet(new ResNetOptions(ResNetOptions.ResNet50, ZeroInitLastBn: true), random);
        var lastGammas = net.named_parameters().Where(p => p.name.EndsWith("bn3.weight", StringComparison.Ordinal)).ToList();

        Assert.Equal(16, lastGammas.Count);
        Assert.All(lastGammas, p => Assert.Equal(0, p.parameter.abs().max().item<float>()));
        Assert.Equal(1, net.named_parameters().Single(p => p.name == "layer1.0.bn2.weight").parameter.min().item<float>());
    }

    [Fact]
    public void AnAllVisibleMaskGivesTheDenseTrunk()
    {
        using var scope = NewDisposeScope();
        var input = Seeded(3, 2, 3, 64, 64);
        var (dense, denseStats) = RunTwin(input, mask: null);
        var (sparse, sparseStats) = RunTwin(input, ones(2, 1, 2, 2, dtype: ScalarType.Bool));

        for (var i = 0; i < 4; i++)
        {
            var difference = (dense[i] - sparse[i]).abs().max().item<float>();
            Assert.True(difference < 1e-4, $"stage {i + 1} differs by {difference}");
        }

        Assert.True(denseStats.allclose(sparseStats, rtol: 1e-4, atol: 1e-6), "running statistics differ");
    }

    [Fact]
    public void EveryStageIsExactlyZeroAtMaskedPositions()
    {
        using var scope = NewDisposeScope();
        using var net = Seeded18();
        var grid = Grid();
        using (net.Mask.Use(grid))
        {
            var stages = net.Stages(Seeded(5, 2, 3, 64, 64));
            foreach (var stage in stages)
            {
                var hidden = 1 - net.Mask.At(stage.shape[2], stage.shape[3]);
                Assert.Equal(0, (stage * hidden).abs().max().item<float>());
                Assert.True((stage * (1 - hidden)).abs().sum().item<float>() > 0, "visible positions carry no signal");
            }
        }
    }

    [Fact]
    public void MaskedInputPixelsDoNotInfluenceTheSparseTrunkOrReceiveGradient()
    {
        using var scope = NewDisposeScope();
        using var net = Seeded18();
        var grid = Grid();
        var input = Seeded(7, 2, 3, 64, 64);
        var other = Seeded(8, 2, 3, 64, 64);
        Tensor[] first;
        Tensor[] second;
        Tensor inputGradient;
        using (net.Mask.Use(grid))
        {
            var visible = net.Mask.At(64, 64);
            first = net.Stages(input);
            second = net.Stages((input * visible) + (other * (1 - visible)));
            var leaf = input.clone().requires_grad_(true);
            var stages = net.Stages(leaf);
            (stages[^1] * Seeded(9, stages[^1].shape)).sum().backward();
            inputGradient = leaf.grad! * (1 - visible);
        }

        for (var i = 0; i < 4; i++)
        {
            Assert.True(first[i].eq(second[i]).all().item<bool>(), $"stage {i + 1} depends on masked pixels");
        }

        Assert.Equal(0, inputGradient.abs().max().item<float>());
    }

    [Fact]
    public void SparseBnNormalisesOverVisiblePositionsAndUpdatesRunningStatsFromThem()
    {
        using var scope = NewDisposeScope();
        var mask = new SparseMask();
        using var bn = new MaskedBatchNorm2d("bn", 3, mask);
        var input = Seeded(11, 2, 3, 4, 4) * 3 + 1;
        var grid = tensor(new[] { true, false, false, true, false, true, true, true }).reshape(2, 1, 2, 2);
        Tensor output;
        using (mask.Use(grid))
        {
            output = bn.forward(input);
        }

        // The reference: BatchNorm1d over the gathered visible rows (METHODS.md §1.4).
        var visible = grid.repeat_interleave(2, dim: 2).repeat_interleave(2, dim: 3).expand(2, 3, 4, 4);
        var rows = input.permute(0, 2, 3, 1)[visible.permute(0, 2, 3, 1)].reshape(-1, 3);
        var (mean, variance) = (rows.mean([0]), rows.var([0], unbiased: false));
        var expected = ((input - mean.view(1, 3, 1, 1)) / (variance.view(1, 3, 1, 1) + 1e-5).sqrt()) * visible.to_type(ScalarType.Float32);

        Assert.True(output.allclose(expected, rtol: 1e-5, atol: 1e-5));
        Assert.True(bn.RunningMean.allclose(mean * 0.1, atol: 1e-6));
        Assert.True(bn.RunningVariance.allclose(0.9 + (rows.var([0], unbiased: true) * 0.1), atol: 1e-5));
    }

    [Fact]
    public void DropPathOnlyActsInTraining()
    {
        using var scope = NewDisposeScope();
        using var random = new CellRandom(2);
        using var net = new ResNet(new ResNetOptions(ResNetOptions.ResNet18, DropPathRate: 0.5), random);
        net.eval();
        var input = Seeded(12, 4, 3, 64, 64);
        Assert.True(net.forward(input).eq(net.forward(input)).all().item<bool>());

        net.train();
        Assert.False(net.forward(input).eq(net.forward(input)).all().item<bool>());
    }

    private static (Tensor[] Stages, Tensor RunningStats) RunTwin(Tensor input, Tensor? mask)
    {
        using var net = Seeded18();
        using var scope = mask is null ? null : net.Mask.Use(mask);
        var stages = net.Stages(input).Select(s => s.detach().clone().DetachFromDisposeScope()).ToArray();
        var stats = cat(net.named_buffers().Where(b => b.name.Contains("running", StringComparison.Ordinal)).Select(b => b.buffer.flatten()).ToArray()).clone().DetachFromDisposeScope();
        return (stages, stats);
    }

    // The generators are finalised with the network: the twin runs need the same weights twice.
    private static ResNet Seeded18() => new(new ResNetOptions(ResNetOptions.ResNet18), new CellRandom(42));

    private static Tensor Grid() => tensor(new[] { true, false, false, true, false, false, true, true }).reshape(2, 1, 2, 2);

    [Fact]
    public void ChannelsLastKeepsTheValuesAndLaysThemOutNhwc()
    {
        using var scope = NewDisposeScope();
        var batch = Seeded(5, 2, 3, 4, 5);
        var nhwc = ResNet.ChannelsLast(batch);

        Assert.Equal(batch.shape, nhwc.shape);
        Assert.Equal([60L, 1, 15, 3], nhwc.stride());
        Assert.True(batch.eq(nhwc).all().item<bool>());
    }

    // Splits 2: MoCo's split BN, which channels-last normalises block by block of a batch the trunk reorders.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AChannelsLastTrunkTrainsTheSameFunctionInNhwcAndRepeatsItsBitsExactly(int batchNormSplits)
    {
        // Two threads, whatever an earlier test left: on one, oneDNN convolves NCHW with other kernels, and through the
        // BN that follows, layer2.0.conv2's weight gradient then differs from NHWC's by up to 2% of its largest element.
        var threads = get_num_threads();
        set_num_threads(2);
        LayoutStep contiguous, nhwc, again;
        try
        {
            contiguous = ChannelsLastStep(channelsLast: false, batchNormSplits);
            nhwc = ChannelsLastStep(channelsLast: true, batchNormSplits);
            again = ChannelsLastStep(channelsLast: true, batchNormSplits);
        }
        finally
        {
            set_num_threads(threads);
        }

        // libtorch keeps NHWC through every convolution, batch norm and residual sum: channel stride 1 at every stage.
        Assert.All(contiguous.StageChannelStrides, stride => Assert.NotEqual(1L, stride));
        Assert.All(nhwc.StageChannelStrides, stride => Assert.Equal(1L, stride));
        Assert.Equal(contiguous.Loss, nhwc.Loss, 4);
        Assert.Equal(nhwc.Loss, again.Loss);
        Assert.True(contiguous.Stages.Zip(nhwc.Stages).All(pair => pair.First.allclose(pair.Second, rtol: 1e-4, atol: 1e-4)), "the stage outputs differ between layouts");
        for (var i = 0; i < contiguous.State.Length; i++)
        {
            var scale = Math.Max(contiguous.State[i].abs().max().item<float>(), 1e-6f);
            var error = (contiguous.State[i] - nhwc.State[i]).abs().max().item<float>() / scale;
            Assert.True(error < 1e-3, $"splits {batchNormSplits}, gradient or running statistic {i}: relative difference {error:g3}");
            Assert.True(nhwc.State[i].eq(again.State[i]).all().item<bool>(), $"gradient or running statistic {i} differs between two channels-last runs");
        }

        foreach (var tensor in new[] { contiguous, nhwc, again }.SelectMany(step => step.State.Concat(step.Stages)))
        {
            tensor.Dispose();
        }
    }

    private sealed record LayoutStep(double Loss, Tensor[] State, Tensor[] Stages, long[] StageChannelStrides);

    private static LayoutStep ChannelsLastStep(bool channelsLast, int batchNormSplits)
    {
        // ResNet-18 at 64 px (the last stage 2×2, so its channel stride tells the layouts apart): the 7×7 stem, 3×3 and
        // strided 1×1 convolutions. Each sample weighs differently in the loss, so features returned out of order would show.
        using var scope = NewDisposeScope();
        using var random = new CellRandom(7);
        using var trunk = new ResNet(new ResNetOptions(ResNetOptions.ResNet18, BatchNormSplits: batchNormSplits, ChannelsLast: channelsLast), random);
        trunk.train();
        var images = rand([4, 3, 64, 64], generator: random.Init);
        var weights = arange(1, 5, dtype: ScalarType.Float32).view(4, 1);
        var loss = (trunk.forward(images) * weights).square().mean();
        loss.backward();
        Tensor[] state = [.. trunk.parameters().Select(p => p.grad!).Concat(trunk.buffers().Where(b => b.is_floating_point())).Select(t => t.detach().clone().DetachFromDisposeScope())];
        Tensor[] stages;
        using (no_grad())
        {
            stages = trunk.Stages(images);
        }

        return new LayoutStep(loss.item<float>(), state, [.. stages.Select(s => s.detach().clone().DetachFromDisposeScope())], [.. stages.Select(s => s.stride(1))]);
    }

    private static Tensor Seeded(long seed, params long[] shape)
    {
        var generator = new Generator((ulong)seed);
        return randn(shape, generator: generator);
    }
}
