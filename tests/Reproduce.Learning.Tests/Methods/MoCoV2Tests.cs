using System.Text.Json.Nodes;
using Reproduce.Learning.Methods;
using Reproduce.Learning.Models;
using Reproduce.Learning.Runtime;
using TorchSharp;
using Xunit.Abstractions;
using static Reproduce.Learning.Tests.Methods.PretrainingHarness;
using static Reproduce.Learning.Tests.TestSpecs;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Methods;

/// <summary>MoCo v2's queue, key encoder, InfoNCE and single-GPU shuffle-BN (METHODS.md §3.3, the tests of §3.5).</summary>
public class MoCoV2Tests(ITestOutputHelper output)
{
    // 16 keys in 8 BN sub-batches of 2; a queue of three batches.
    private const long Batch = 16;
    private const long QueueSize = 48;

    [Fact]
    public void QueriesKeysAndQueueColumnsHaveUnitNorm()
    {
        using var scope = NewDisposeScope();
        using var random = new CellRandom(1);
        using var model = Create(random);
        var images = Images(2, Batch);

        AssertUnitNorm(model.Queries(images).norm(1), "q");
        AssertUnitNorm(model.Keys(images).norm(1), "k");
        AssertUnitNorm(model.Queue.norm(0), "queue column");
        Assert.Equal([128L, QueueSize], model.Queue.shape);
        Assert.Equal(0, model.QueuePointer);
    }

    [Fact]
    public void WithTheRandomInitialQueueTheLossIsSomewhatBelowLnKPlusOne()
    {
        using var scope = NewDisposeScope();
        using var random = new CellRandom(3);
        using var model = new MoCoV2(Spec(MoCoV2.Descriptor, ("batch_size", Batch)), new ResNetOptions(ResNetOptions.ResNet18), random);
        var loss = model.Loss(Views(4, Batch), new TrainingProgress(0, 10, 10)).item<float>();
        var chance = Math.Log(65536 + 1);
        output.WriteLine($"MoCo v2 loss at init (ResNet18, mlp head, K = 65536, T = 0.2, B = {Batch}, 32 px): {loss:F4}; ln(K + 1) = {chance:F4}");

        // The positive logit is at most 1/T = 5 above the negatives, which sit near 0 (METHODS.md §3.5: 7.13 for ResNet50).
        Assert.InRange(loss, chance - 5, chance);
    }

    [Fact]
    public void EachStepWritesItsKeysOverTheOldestSliceAndAdvancesThePointer()
    {
        using var scope = NewDisposeScope();
        using var random = new CellRandom(4);
        using var model = Create(random);
        using (no_grad())
        {
            // A query encoder away from the key encoder, so each step's momentum update moves f_k: the keys
            // recomputed below match the enqueued ones only if the update came before the keys (§3.3 step 3a).
            foreach (var parameter in model.QueryEncoder.parameters())
            {
                parameter.add_(randn(parameter.shape, generator: random.Init));
            }
        }

        for (var step = 0; step < 4; step++)
        {
            var views = Views(10 + step, Batch);
            var pointer = model.QueuePointer;
            var before = model.Queue.clone();
            random.Steps.manual_seed(20 + step);
            model.Loss(views, new TrainingProgress(step, 10, 10));

            // The same seed gives the same shuffle, so the keys come out again bit for bit.
            random.Steps.manual_seed(20 + step);
            var keys = model.Keys(views[1]);
            Assert.Equal((step + 1) * Batch % QueueSize, model.QueuePointer);
            Assert.True(Identical(model.Queue.narrow(1, pointer, Batch), keys.t()), $"step {step}: the enqueued slice is not kᵀ");
            var untouched = tensor(Enumerable.Range(0, (int)QueueSize).Where(c => c < pointer || c >= pointer + Batch).Select(c => (long)c).ToArray());
            Assert.True(Identical(model.Queue.index_select(1, untouched), before.index_select(1, untouched)), $"step {step}: keys outside the slice changed");
        }
    }

    [Fact]
    public void TheKeyEncoderGetsNoGradientAndFollowsTheQueryEncoderByMomentum()
    {
        using var scope = NewDisposeScope();
        using var random = new CellRandom(5);
        using var model = Create(random);
        using (no_grad())
        {
            foreach (var parameter in model.QueryEncoder.parameters())
            {
                parameter.add_(randn(parameter.shape, generator: random.Init));
            }
        }

        var query = ParametersOf(model.QueryEncoder);
        var keyBefore = ParametersOf(model.KeyEncoder);
        model.Loss(Views(6, Batch), new TrainingProgress(0, 10, 10)).backward();

        foreach (var (name, parameter) in model.KeyEncoder.named_parameters())
        {
            var expected = (0.999 * keyBefore[name]) + (0.001 * query[name]);
            Assert.True(parameter.allclose(expected, rtol: 1e-6, atol: 1e-6), $"{name} is not mθ_k + (1 − m)θ_q");
            Assert.False(parameter.requires_grad);
            Assert.Null(parameter.grad);
        }

        Assert.All(model.QueryEncoder.named_parameters(), p => Assert.True(p.parameter.grad is { } g && g.abs().sum().item<float>() > 0, $"{p.name} got no gradient"));
    }

    [Fact]
    public void ShufflingKeysChangesNothingInEvalModeAndChangesTheSplitBnInTraining()
    {
        using var scope = NewDisposeScope();
        using var random = new CellRandom(7);
        using var model = Create(random);
        var images = Images(8, Batch);
        Tensor Unshuffled()
        {
            using var noGrad = no_grad();
            return nn.functional.normalize(model.KeyEncoder.forward(images), dim: 1);
        }

        model.State.eval();
        var difference = (model.Keys(images) - Unshuffled()).abs().max().item<float>();
        Assert.True(difference < 1e-6, $"shuffle → f_k → unshuffle differs from f_k by {difference}");

        // In training each BN sub-batch is normalised alone, so another grouping gives other keys.
        model.State.train();
        Assert.True((model.Keys(images) - Unshuffled()).abs().max().item<float>() > 1e-4, "shuffling had no effect on the split BN");
    }

    [Fact]
    public void OneBnSplitIsPlainBatchNorm()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(9);
        var input = (randn([8, 3, 4, 4], generator: generator) * 2) + 1;
        using var split = new MaskedBatchNorm2d("bn", 3, new SparseMask(), splits: 1);
        using var plain = nn.BatchNorm2d(3);

        Assert.True(split.forward(input).allclose(plain.forward(input), rtol: 1e-5, atol: 1e-6));
        Assert.True(split.RunningMean.allclose(plain.running_mean!, atol: 1e-6));
        Assert.True(split.RunningVariance.allclose(plain.running_var!, atol: 1e-6));
    }

    // 1×1: an NCHW (N, C, 1, 1) batch has channel stride 1 like an NHWC one; the grouping must not follow the strides.
    [Theory]
    [InlineData(4, false)]
    [InlineData(1, false)]
    [InlineData(4, true)]
    [InlineData(1, true)]
    public void GBnSplitsNormaliseEachSubBatchAloneAndAverageTheRunningStats(int size, bool asBlocks)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(10);
        const int splits = 4;
        var input = (randn([8, 3, size, size], generator: generator) * 2) + 1;
        var (weight, bias) = (rand([3], generator: generator) + 0.5, randn([3], generator: generator));
        using var bn = new MaskedBatchNorm2d("bn", 3, new SparseMask(), splits, asBlocks);
        using (no_grad())
        {
            bn.Weight.copy_(weight);
            bn.state_dict()["bias"].copy_(bias);
        }

        var output = bn.forward(input);

        // Sub-batch g holds samples g and g + 4, as GPU g of 4 would; as blocks, samples 2g and 2g + 1.
        var (meanSum, varianceSum) = (zeros(3), zeros(3));
        for (var g = 0; g < splits; g++)
        {
            var members = tensor(asBlocks ? new long[] { 2 * g, (2 * g) + 1 } : new long[] { g, g + splits });
            var (runningMean, runningVariance) = (zeros(3), ones(3));
            var expected = nn.functional.batch_norm(input.index_select(0, members), runningMean, runningVariance, weight, bias, true, 0.1, 1e-5);
            Assert.True(output.index_select(0, members).allclose(expected, rtol: 1e-5, atol: 1e-5), $"sub-batch {g}");
            meanSum += runningMean;
            varianceSum += runningVariance;
        }

        Assert.True(bn.RunningMean.allclose(meanSum / splits, atol: 1e-6));
        Assert.True(bn.RunningVariance.allclose(varianceSum / splits, atol: 1e-6));
    }

    [Theory]
    [InlineData(256, 8)]
    [InlineData(128, 8)]
    [InlineData(12, 6)]
    [InlineData(10, 5)]
    [InlineData(9, 3)]
    [InlineData(7, 7)]
    public void BnSplitsAreEightOrTheLargestSmallerDivisorOfTheBatch(long batchSize, int expected) =>
        Assert.Equal(expected, MoCoV2.BatchNormSplits(batchSize));

    [Fact]
    public void BothEncodersSplitTheirBnOnlyUnderShuffleBn()
    {
        using var random = new CellRandom(1);
        using var shuffled = new MoCoV2(Spec(MoCoV2.Descriptor, ("batch_size", 12L), ("queue_size", 24L)), new ResNetOptions(ResNetOptions.ResNet18), random);
        using var plain = new MoCoV2(Spec(MoCoV2.Descriptor, ("batch_size", 12L), ("queue_size", 24L), ("shuffle_bn", false)), new ResNetOptions(ResNetOptions.ResNet18), random);

        Assert.Equal(6, shuffled.QueryEncoder.Encoder.Options.BatchNormSplits);
        Assert.Equal(6, shuffled.KeyEncoder.Encoder.Options.BatchNormSplits);
        Assert.Equal(1, plain.QueryEncoder.Encoder.Options.BatchNormSplits);
        Assert.Equal(1, plain.KeyEncoder.Encoder.Options.BatchNormSplits);
    }

    [Theory]
    [InlineData("linear", new[] { "head.bias:128", "head.weight:128x512" })]
    [InlineData("mlp", new[] { "head.0.bias:512", "head.0.weight:512x512", "head.2.bias:128", "head.2.weight:128x512" })]
    public void TheHeadIsASingleLinearLayerOrTheV2Mlp(string head, string[] expected)
    {
        using var random = new CellRandom(1);
        using var model = new MoCoV2(Spec(MoCoV2.Descriptor, ("batch_size", Batch), ("queue_size", QueueSize), ("head", head)), new ResNetOptions(ResNetOptions.ResNet18), random);
        var headParameters = model.Trainable.named_parameters()
            .Where(p => !p.name.StartsWith("encoder.", StringComparison.Ordinal))
            .Select(p => $"{p.name}:{string.Join("x", p.parameter.shape)}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected, headParameters);
    }

    [Fact]
    public void AQueueThatIsNotAMultipleOfTheBatchIsRefused()
    {
        using var random = new CellRandom(1);
        var error = Assert.Throws<ArgumentException>(() => new MoCoV2(Spec(MoCoV2.Descriptor, ("batch_size", Batch), ("queue_size", 50L)), new ResNetOptions(ResNetOptions.ResNet18), random));
        Assert.Contains("multiple of batch_size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThreeSgdStepsRunAndTheStateRoundTrips()
    {
        using var random = new CellRandom(11);
        using var model = Create(random);
        var losses = Train(model, Batch, steps: 3);
        output.WriteLine($"MoCo v2 losses over 3 SGD steps (K = {QueueSize}): {string.Join(", ", losses.Select(l => l.ToString("F4")))}");
        Assert.All(losses, l => Assert.True(float.IsFinite(l)));
        Assert.Equal(0, model.QueuePointer);

        using var freshRandom = new CellRandom(12);
        using var fresh = Create(freshRandom);
        AssertStateRoundTrips(model, random, fresh, freshRandom, Batch);
    }

    private static MoCoV2 Create(CellRandom random, params (string Name, JsonNode Value)[] overrides) =>
        new(Spec(MoCoV2.Descriptor, [("batch_size", Batch), ("queue_size", QueueSize), .. overrides]), new ResNetOptions(ResNetOptions.ResNet18), random);

    private static void AssertUnitNorm(Tensor norms, string what)
    {
        var deviation = (norms - 1).abs().max().item<float>();
        Assert.True(deviation < 1e-6, $"a {what} norm is off 1 by {deviation}");
    }
}
