using Reproduce.Learning.Losses;
using Reproduce.Learning.Methods;
using Reproduce.Learning.Models;
using Reproduce.Learning.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Methods;

/// <summary>SparK's masking, densify, decoder and loss (METHODS.md §1.2–1.3, tests §1.8).</summary>
public sealed class SparKTests : IDisposable
{
    private const long Batch = 2;
    private const int Size = 64;
    private const long DecoderWidth = 64;

    /// <summary>The streams of the test's model unless a test gives its own.</summary>
    private readonly CellRandom random = new(1);

    public void Dispose() => random.Dispose();

    [Theory]
    // len_keep = round(f²·0.4): 224 → 20 of 49, 256 → 26 of 64, 512 → 102 of 256 (§1.2); 64 → 2 of 4.
    [InlineData(64, 2)]
    [InlineData(224, 20)]
    [InlineData(256, 26)]
    [InlineData(512, 102)]
    public void EverySampleKeepsExactlyLenKeepPatches(int imageSize, long visible)
    {
        using var scope = NewDisposeScope();
        using var model = Model(imageSize);

        var active = model.SampleMask(16);

        var grid = imageSize / 32;
        Assert.Equal([16L, 1, grid, grid], active.shape);
        Assert.Equal(ScalarType.Bool, active.dtype);
        Assert.Equal(visible, model.VisiblePatches);
        Assert.All(active.view(16, -1).sum(dim: 1, type: ScalarType.Int64).data<long>().ToArray(), count => Assert.Equal(visible, count));
        Assert.False(active.eq(active[0]).all().item<bool>(), "the samples share one mask");
    }

    [Fact]
    public void DensifiedMapsHalveTheDecoderWidthPerScaleAndTheReconstructionHasTheInputShape()
    {
        using var scope = NewDisposeScope();
        using var model = Model();
        var input = Input(1);

        var (densified, reconstruction) = model.Reconstruct(input, model.SampleMask(Batch));

        // D_0 … D_3 at H/32 … H/4 with widths w, w/2, w/4, w/8 (§1.3 step 3c).
        Assert.Equal([[Batch, 64, 2, 2], [Batch, 32, 4, 4], [Batch, 16, 8, 8], [Batch, 8, 16, 16]], densified.Select(d => d.shape));
        Assert.Equal(input.shape, reconstruction.shape);
    }

    [Fact]
    public void TheLossGradientIsExactlyZeroOnVisiblePatches()
    {
        using var scope = NewDisposeScope();
        using var model = Model();
        var input = Input(2);
        var active = model.SampleMask(Batch);
        var reconstruction = model.Reconstruct(input, active).Reconstruction.detach().requires_grad_(true);

        MaskedPatchLoss.Compute(input, reconstruction, active, ResNet.Downsampling).backward();

        var visible = Pixels(active);
        Assert.Equal(0, (reconstruction.grad! * visible).abs().max().item<float>());
        Assert.True((reconstruction.grad! * (1 - visible)).abs().sum().item<float>() > 0, "masked patches get no gradient");
    }

    [Fact]
    public void NoGradientReachesMaskedInputPixelsThroughEncoderAndDecoder()
    {
        using var scope = NewDisposeScope();
        using var model = Model();
        var active = model.SampleMask(Batch);
        var visible = Pixels(active);
        var maskedInput = (Input(3) * visible).requires_grad_(true);

        var reconstruction = model.Reconstruct(maskedInput, active).Reconstruction;
        (reconstruction * randn(reconstruction.shape, generator: random.Init)).sum().backward();

        Assert.Equal(0, (maskedInput.grad! * (1 - visible)).abs().max().item<float>());
        Assert.True((maskedInput.grad! * visible).abs().sum().item<float>() > 0, "visible pixels get no gradient");
    }

    [Fact]
    public void ReplacingMaskedInputPixelsLeavesTheReconstructionBitIdentical()
    {
        using var scope = NewDisposeScope();
        using var model = Model();
        var active = model.SampleMask(Batch);
        var visible = Pixels(active);
        var input = Input(4);
        var other = (input * visible) + (Input(5) * (1 - visible));

        // The same seed for both: the trunk's drop path draws from the step stream.
        random.Steps.manual_seed(6);
        var first = model.Reconstruct(input, active).Reconstruction;
        random.Steps.manual_seed(6);
        var second = model.Reconstruct(other, active).Reconstruction;

        Assert.True(first.eq(second).all().item<bool>());
    }

    [Fact]
    public void TheLossCountsMaskedPatchesOnly()
    {
        using var scope = NewDisposeScope();
        using var model = Model();
        var input = Input(7);
        var active = model.SampleMask(Batch);
        var reconstruction = model.Reconstruct(input, active).Reconstruction.detach();
        var visible = Pixels(active);

        var loss = MaskedPatchLoss.Compute(input, reconstruction, active, ResNet.Downsampling).item<float>();
        var changedOnVisible = MaskedPatchLoss.Compute(input, reconstruction + (visible * 5), active, ResNet.Downsampling).item<float>();
        var changedOnMasked = MaskedPatchLoss.Compute(input, reconstruction + ((1 - visible) * 5), active, ResNet.Downsampling).item<float>();

        Assert.Equal(loss, changedOnVisible);
        Assert.NotEqual(loss, changedOnMasked);
    }

    [Fact]
    public void TheLossAtInitialisationIsAboutOne()
    {
        using var scope = NewDisposeScope();
        using var model = Model(decoderWidth: 768);

        var loss = model.Loss([Input(10)], Progress(0)).item<float>();

        // Normalised targets have mean square (N − 1)/N and the initial reconstruction is small (§1.8).
        Assert.InRange(loss, 0.99, 1.05);
    }

    [Fact]
    public void MaskTokensStartWithinTheTruncationBounds()
    {
        using var model = Model();
        var tokens = model.named_parameters().Where(p => p.name.StartsWith("mask_tokens.", StringComparison.Ordinal)).Select(p => p.parameter).ToList();

        Assert.Equal([[1L, 512, 1, 1], [1L, 256, 1, 1], [1L, 128, 1, 1], [1L, 64, 1, 1]], tokens.Select(t => t.shape));
        Assert.All(tokens, t => Assert.True(t.abs().max().item<float>() <= 0.02f));
        Assert.All(tokens, t => Assert.True(t.std().item<float>() > 0.005f, "tokens are not drawn"));
    }

    [Fact]
    public void TheTrunkIsSparKsWhateverTheCallerAsks()
    {
        using var model = Model(trunk: new ResNetOptions(ResNetOptions.ResNet18, InChannels: 1, ZeroInitLastBn: false, DropPathRate: 0.3));

        Assert.Equal(new ResNetOptions(ResNetOptions.ResNet18, InChannels: 1, ZeroInitLastBn: true, DropPathRate: 0.05), model.Encoder.Options);
        Assert.Equal(0, model.Encoder.named_parameters().Single(p => p.name == "layer1.0.bn2.weight").parameter.abs().max().item<float>());
    }

    [Fact]
    public void DecoderAndDensifyStartAsTheReferenceInitialisesThem()
    {
        using var model = Model(decoderWidth: 768);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        // Decoder: Conv2d trunc_normal(0.02) without bias, ConvTranspose2d kaiming_normal(fan_out = 768·4·4), biases 0 (§1.3 step 4).
        Assert.InRange(parameters["decoder.dec.0.conv.0.weight"].std().item<float>(), 0.0198, 0.0202);
        Assert.InRange(parameters["decoder.dec.0.up_sample.weight"].std().item<float>(), 0.99 * Math.Sqrt(2.0 / (768 * 16)), 1.01 * Math.Sqrt(2.0 / (768 * 16)));
        Assert.Equal(0, parameters["decoder.dec.0.up_sample.bias"].abs().max().item<float>());
        Assert.Equal(0, parameters["decoder.proj.bias"].abs().max().item<float>());
        Assert.Equal(1, parameters["decoder.dec.0.conv.1.weight"].min().item<float>());

        // Densify projections keep PyTorch's default: weights and biases uniform within ±1/√fan_in (§1.3 step 3c).
        var bound = 1 / Math.Sqrt(256 * 9);
        Assert.InRange(parameters["densify_projs.1.weight"].abs().max().item<float>(), 0.99 * bound, bound);
        Assert.InRange(parameters["densify_projs.1.bias"].abs().max().item<float>(), 0.5 * bound, bound);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(48)]
    [InlineData(100)]
    public void ImageSizesMustBeMultiplesOf32WithAtLeast2x2Patches(int imageSize)
    {
        var error = Assert.Throws<ArgumentException>(() => Model(imageSize));
        Assert.Contains("multiple of 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheResnet50DecoderAndDensifyHaveTheReferenceParameterCounts()
    {
        using var model = Model(224, decoderWidth: 768, new ResNetOptions(ResNetOptions.ResNet50));
        var counts = model.named_parameters()
            .GroupBy(p => p.name.Split('.')[0])
            .ToDictionary(g => g.Key, g => g.Sum(p => p.parameter.numel()));

        // §1.3: decoder 23,183,115 (C = 3); densify convs + densify BN + mask tokens 6,230,688.
        Assert.Equal(23_183_115, counts["decoder"]);
        Assert.Equal(6_230_688, counts["densify_projs"] + counts["densify_norms"] + counts["mask_tokens"]);
        Assert.Equal(23_508_032, counts["encoder"]);
    }

    [Fact]
    public void ThreeSGDStepsRunAndTheStateRoundTrips()
    {
        using var scope = NewDisposeScope();
        using var model = Model();
        using var optimizer = optim.SGD(model.Trainable.parameters(), 0.05, momentum: 0.9, weight_decay: 1e-4);
        for (var step = 0; step < 3; step++)
        {
            optimizer.zero_grad();
            var loss = model.Loss([Input(20 + step)], Progress(step));
            loss.backward();
            model.AfterBackward(Progress(step));
            optimizer.step();
            Assert.True(float.IsFinite(loss.item<float>()), $"step {step}: loss {loss.item<float>()}");
        }

        using var restoredRandom = new CellRandom(99);
        using var restored = Model(random: restoredRandom);
        var (missing, unexpected) = restored.State.load_state_dict(model.State.state_dict());
        Assert.Empty(missing);
        Assert.Empty(unexpected);

        random.Steps.manual_seed(11);
        var expected = model.Loss([Input(30)], Progress(3)).item<float>();
        restoredRandom.Steps.manual_seed(11);
        Assert.Equal(expected, restored.Loss([Input(30)], Progress(3)).item<float>());
    }

    [Fact]
    public void AStepOnPoisonedMemoryGivesAFiniteLossAndTheSameBytesWhateverTheGarbage()
    {
        // Freed buffers stay in the heap, so what the next allocations find is the pattern written below: a read of
        // memory never written (an empty tensor, a masked position, a kernel's layout padding) shows as NaN or as a
        // change in the bytes. Finite garbage matters as much as NaN: times a zero mask it vanishes, elsewhere not.
        NativeHeap.KeepFreedBuffers();
        byte[]? first = null;
        foreach (var pattern in new[] { float.NaN, 1e30f, -3.5f, float.PositiveInfinity, 0f })
        {
            CpuKernels.Poison(pattern);
            using var scope = NewDisposeScope();
            using var sameEachTime = new CellRandom(7);
            using var model = Model(decoderWidth: 48, random: sameEachTime);   // widths 48, 24, 12, 6, 3: off oneDNN's 16-wide blocks
            var loss = model.Loss([Input(40)], Progress(1));
            loss.backward();
            Assert.True(float.IsFinite(loss.item<float>()), $"garbage {pattern}: loss {loss.item<float>()}");
            var bytes = model.Trainable.parameters().Where(p => p.grad is not null).SelectMany(p => p.grad!.bytes.ToArray()).Concat(loss.bytes.ToArray()).ToArray();
            if (first is null)
            {
                first = bytes;
            }
            else
            {
                Assert.True(first.AsSpan().SequenceEqual(bytes), $"garbage {pattern}: the gradients differ from those computed on NaN-filled memory");
            }
        }
    }

    [Fact]
    public void OnlyTheTrunkIsPublishedAndTheStateHasTheReferenceNames()
    {
        using var model = Model();
        var keys = model.State.state_dict().Keys.ToList();

        string[] expected =
        [
            "encoder.conv1.weight", "densify_norms.0.running_var", "densify_projs.3.bias", "mask_tokens.0",
            "decoder.dec.0.up_sample.weight", "decoder.dec.4.conv.4.running_mean", "decoder.proj.weight",
        ];
        Assert.All(expected, key => Assert.Contains(key, keys));
        Assert.Equal(model.Encoder.state_dict().Count, keys.Count(k => k.StartsWith("encoder.", StringComparison.Ordinal)));
        Assert.Same(model.State, model.Trainable);
    }

    private SparK Model(int imageSize = Size, long decoderWidth = DecoderWidth, ResNetOptions? trunk = null, CellRandom? random = null)
    {
        var spec = TestSpecs.Spec(SparK.Descriptor, ("decoder_width", decoderWidth));
        return new SparK(spec, trunk ?? new ResNetOptions(ResNetOptions.ResNet18), imageSize, random ?? this.random);
    }

    private static Tensor Input(long seed) => randn([Batch, 3, Size, Size], generator: new Generator((ulong)seed));

    /// <summary>The mask grid (B, 1, f, f) as a float pixel mask (B, 1, 32f, 32f).</summary>
    private static Tensor Pixels(Tensor active) =>
        active.to_type(ScalarType.Float32).repeat_interleave(32, dim: 2).repeat_interleave(32, dim: 3);

    private static TrainingProgress Progress(long step) => new(step, TotalSteps: 100, StepsPerEpoch: 10);
}
