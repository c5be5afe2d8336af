using Reproduce.Core.Manifests;
using Reproduce.Core.Methods;
using Reproduce.Learning.Losses;
using Reproduce.Learning.Models;
using Reproduce.Learning.Optimization;
using Reproduce.Learning.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reproduce.Learning.Methods;

/// <summary>
/// SparK (METHODS.md §1): masked modelling with a sparse ResNet encoder. A random share of the /32
/// patches is masked, the trunk runs sparsely on the visible ones, each of its four stage outputs is
/// densified (sparse BN, mask tokens in the holes, a projection) and the light UNet decoder reconstructs
/// the image; the loss is the error on per-patch-normalised pixels of the masked patches. Defaults are the
/// reference's ResNet settings (B = 4096, 1600 epochs). State names follow the reference's
/// (<c>densify_norms.*</c>, <c>densify_projs.*</c>, <c>mask_tokens.*</c>, <c>decoder.dec.*</c>) with the
/// trunk under <c>encoder.</c>; only the trunk is published.
/// </summary>
public sealed class SparK : nn.Module, IPretrainingModel
{
    public static readonly MethodDescriptor Descriptor = new("spark", "SparK",
    [
        .. CommonParameters.Training(batchSize: 4096, epochs: 1600, learningRate: 2e-4 * 4096 / 256, weightDecay: 0.04, warmupEpochs: 40),
        ParameterSpec.Real("weight_decay_end", 0.2, "weight decay at the end of its increasing cosine"),
        ParameterSpec.Real("final_lr_ratio", 0.001, "the cosine ends at this fraction of the peak learning rate", max: 1),
        ParameterSpec.Real("mask_ratio", 0.6, "share of /32 patches masked", max: 0.95),
        ParameterSpec.Reals("betas", [0.9, 0.95], "LAMB betas", max: 1),
        ParameterSpec.Real("grad_clip", 5.0, "global gradient-norm clip inside LAMB (0: none)"),
        ParameterSpec.Real("drop_path", 0.05, "stochastic depth of the encoder (linear per block)", max: 1),
        // Five halvings must leave at least one channel: width/32 ≥ 1.
        ParameterSpec.Int("decoder_width", 768, "width of the light UNet decoder", min: 32),
        ParameterSpec.Real("min_scale", 0.67, "RandomResizedCrop minimum scale", max: 1),
    ]);

    private const int Scales = 4;

    private readonly MethodSpec spec;
    private readonly ResNet encoder;
    private readonly ModuleList<MaskedBatchNorm2d> densify_norms;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> densify_projs;
    private readonly ParameterList mask_tokens;
    private readonly LightDecoder decoder;
    private readonly int imageSize;
    private readonly long gridSize;
    private readonly CellRandom random;

    /// <summary>
    /// The trunk is built as SparK's timm ResNet whatever <paramref name="trunk"/> says about it
    /// (METHODS.md §0.2): zero_init_last_bn on and drop path at the spec's <c>drop_path</c>; the
    /// architecture and input channels come from <paramref name="trunk"/>.
    /// </summary>
    public SparK(MethodSpec spec, ResNetOptions trunk, int imageSize, CellRandom random)
        : base("spark")
    {
        this.spec = spec;
        this.random = random;
        if (imageSize % ResNet.Downsampling != 0 || imageSize < 2 * ResNet.Downsampling)
        {
            throw new ArgumentException(
                $"SparK masks {ResNet.Downsampling}×{ResNet.Downsampling} patches, so the image size must be a multiple of {ResNet.Downsampling} with at least 2×2 patches (64, 96, …, 224); got {imageSize}",
                nameof(imageSize));
        }

        this.imageSize = imageSize;
        gridSize = imageSize / ResNet.Downsampling;
        var patches = gridSize * gridSize;
        // len_keep = round(f²·(1 − r)) (§1.2); Math.Round rounds half to even, as Python's round.
        VisiblePatches = (long)Math.Round(patches * (1 - spec.Real("mask_ratio")));
        if (VisiblePatches < 1 || VisiblePatches >= patches)
        {
            throw new ArgumentException(
                $"a mask_ratio of {spec.Real("mask_ratio")} keeps {VisiblePatches} of {patches} patches at {imageSize} px; SparK needs at least one visible and one masked patch",
                nameof(spec));
        }

        encoder = new ResNet(trunk with { ZeroInitLastBn = true, DropPathRate = spec.Real("drop_path") }, random);
        var norms = new List<MaskedBatchNorm2d>();
        var projections = new List<nn.Module<Tensor, Tensor>>();
        var tokens = new List<Parameter>();
        var width = spec.Integer("decoder_width");
        for (var i = 0; i < Scales; i++)
        {
            // Scale i is the (i + 1)-th smallest stage output: layer4 first (§1.3 step 3).
            var channels = encoder.StageChannels[Scales - 1 - i];
            var token = new Parameter(zeros(1, channels, 1, 1));
            TruncatedNormal.Fill(token, std: 0.02, bound: 0.02, random.Init);
            tokens.Add(token);
            norms.Add(new MaskedBatchNorm2d($"{i}", channels, encoder.Mask));

            // PyTorch's default Conv2d init, not re-initialised by the reference (§1.3 step 3c); it skips the
            // projection when the smallest map already has the decoder's width.
            var kernel = i == 0 ? 1 : 3;
            projections.Add(i == 0 && channels == width ? nn.Identity() : ParameterInit.PyTorchDefaults(nn.Conv2d(channels, width, kernel, padding: kernel / 2), random.Init));
            width /= 2;
        }

        densify_norms = nn.ModuleList(norms.ToArray());
        densify_projs = nn.ModuleList(projections.ToArray());
        mask_tokens = nn.ParameterList(tokens.ToArray());
        decoder = new LightDecoder("decoder", spec.Integer("decoder_width"), trunk.InChannels, random.Init);
        RegisterComponents();
    }

    public ResNet Encoder => encoder;

    /// <summary>Everything: encoder, densify norms and projections, mask tokens and decoder.</summary>
    public nn.Module Trainable => this;

    public nn.Module State => this;

    /// <summary>
    /// The official recipe (METHODS.md §1.6–1.7): LAMB over two groups (no decay for 1-D parameters, biases and
    /// mask tokens), the learning rate warmed up from 0.005·peak then a cosine to final_lr_ratio·peak, and the
    /// decay group's weight decay rising on a cosine from weight_decay to weight_decay_end, per step.
    /// </summary>
    public TrainingRecipe CreateRecipe(long stepsPerEpoch, long totalSteps)
    {
        var (peak, decay) = (spec.Real("learning_rate"), spec.Real("weight_decay"));
        var warmup = TrainingRecipe.WarmupSteps(spec, "warmup_epochs", stepsPerEpoch, totalSteps);
        var split = ParameterGrouping.Spark(this);
        var decayGroup = new ParameterGroup(split.Decay.Select(p => p.Parameter), peak, decay);
        var betas = spec.Reals("betas");
        var lamb = new Lamb([decayGroup, new ParameterGroup(split.NoDecay.Select(p => p.Parameter), peak)], betas[0], betas[1], maxGradientNorm: spec.Real("grad_clip"));
        var learningRates = new SparkLearningRateSchedule(peak, warmup, totalSteps, spec.Real("final_lr_ratio"));
        var weightDecays = new SparkWeightDecaySchedule(decay, spec.Real("weight_decay_end"), totalSteps);
        return new TrainingRecipe(lamb, progress =>
        {
            var learningRate = learningRates.LearningRate(progress.Step);
            lamb.SetLearningRate(learningRate);
            decayGroup.WeightDecay = weightDecays.WeightDecay(progress.Step);
            return learningRate;
        });
    }

    /// <summary>len_keep: the visible patches per image.</summary>
    internal long VisiblePatches { get; }


    /// <summary>The masked reconstruction loss of one view (B, C, H, W) under a fresh random mask.</summary>
    public Tensor Loss(IReadOnlyList<Tensor> views, TrainingProgress progress)
    {
        if (views.Count != 1 || views[0].dim() != 4 || views[0].shape[2] != imageSize || views[0].shape[3] != imageSize)
        {
            throw new ArgumentException($"SparK takes one view (B, C, {imageSize}, {imageSize}); got {views.Count}: {string.Join(", ", views.Select(v => string.Join("×", v.shape)))}", nameof(views));
        }

        var input = views[0];
        var active = SampleMask(input.shape[0]).to(input.device);
        return MaskedPatchLoss.Compute(input, Reconstruct(input, active).Reconstruction, active, ResNet.Downsampling);
    }

    public void AfterBackward(TrainingProgress progress)
    {
    }

    public void AfterStep(TrainingProgress progress)
    {
    }

    /// <summary>
    /// A mask grid (B, 1, f, f), True = visible: per sample the len_keep patches of smallest uniform
    /// noise (§1.2), drawn like the reference on the CPU whatever the device, from the cell's step stream.
    /// </summary>
    internal Tensor SampleMask(long batch)
    {
        var patches = gridSize * gridSize;
        var keptBk = random.Uniform([batch, patches], CPU).argsort(dim: 1).narrow(1, 0, VisiblePatches);
        return zeros(batch, patches, dtype: ScalarType.Bool)
            .scatter_(1, keptBk, ones(batch, VisiblePatches, dtype: ScalarType.Bool))
            .view(batch, 1, gridSize, gridSize);
    }

    /// <summary>
    /// The sparse encoder, densify and decoder (§1.3 steps 2–4) on <paramref name="input"/> (B, C, H, W)
    /// under <paramref name="active"/> (B, 1, f, f): the densified maps D_0 … D_3 (smallest first) and the
    /// reconstruction (B, C, H, W). Masked input pixels are zeroed by the trunk and have no influence.
    /// </summary>
    internal (Tensor[] Densified, Tensor Reconstruction) Reconstruct(Tensor input, Tensor active)
    {
        var densified = new Tensor[Scales];
        using (encoder.Mask.Use(active))
        {
            var stages = encoder.Stages(input);
            var scaleActive = active;
            for (var i = 0; i < Scales; i++)
            {
                // The sparse BN takes this scale's mask from the trunk's, still in use.
                var normalised = densify_norms[i].forward(stages[Scales - 1 - i]);
                var filled = where(scaleActive, normalised, mask_tokens[i]);
                densified[i] = densify_projs[i].forward(filled);
                scaleActive = scaleActive.repeat_interleave(2, dim: 2).repeat_interleave(2, dim: 3);
            }
        }

        return (densified, decoder.forward(densified));
    }
}
