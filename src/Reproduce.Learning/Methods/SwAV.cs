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
/// SwAV (METHODS.md §4): the trunk, a projection head Linear → BN → ReLU → Linear to unit-norm
/// embeddings, and K prototypes (a bias-free Linear whose rows are re-normalised before every step).
/// Codes come from Sinkhorn-Knopp on the two large crops' scores (optionally with a queue of past
/// embeddings) and are predicted from every other crop. Defaults are the reference's 800-epoch
/// multi-crop run (B = 4096). State names follow the reference (<c>projection_head.*</c>,
/// <c>prototypes.weight</c>) with the trunk under <c>encoder.</c>, and the queue is the buffer <c>queue</c>.
/// </summary>
public sealed class SwAV : nn.Module, IPretrainingModel
{
    public static readonly MethodDescriptor Descriptor = new("swav", "SwAV",
    [
        .. CommonParameters.Training(batchSize: 4096, epochs: 800, learningRate: 4.8, weightDecay: 1e-6, warmupEpochs: 10),
        ParameterSpec.Real("start_warmup_lr", 0.3, "learning rate at the start of the warm-up"),
        ParameterSpec.Real("final_lr", 0.0048, "learning rate at the end of the cosine"),
        ParameterSpec.Real("momentum", 0.9, "SGD momentum (under LARC)"),
        ParameterSpec.Real("temperature", 0.1, "softmax temperature", min: 1e-4),
        ParameterSpec.Real("epsilon", 0.05, "Sinkhorn entropic regularisation", min: 1e-6),
        ParameterSpec.Int("sinkhorn_iterations", 3, "Sinkhorn-Knopp iterations", min: 1),
        ParameterSpec.Int("feature_dim", 128, "projection width", min: 1),
        ParameterSpec.Int("hidden_dim", 2048, "projection head hidden width", min: 1),
        ParameterSpec.Int("prototypes", 3000, "number of prototypes K", min: 2),
        ParameterSpec.Int("freeze_prototypes", 313, "prototypes get no update for this long"),
        ParameterSpec.Choice("freeze_prototypes_unit", "iterations", "the reference counts iterations; the authors' code epochs", "iterations", "epochs"),
        ParameterSpec.Int("queue_length", 0, "feature queue length (0: none)"),
        ParameterSpec.Int("epoch_queue_starts", 15, "epoch from which the queue is used"),
        ParameterSpec.Ints("crops", [2, 6], "number of crops per resolution (global, small)", min: 1),
        ParameterSpec.Reals("min_scale", [0.14, 0.05], "RandomResizedCrop minimum scale per resolution", max: 1),
        ParameterSpec.Reals("max_scale", [1.0, 0.14], "RandomResizedCrop maximum scale per resolution", max: 1),
    ]);

    /// <summary>Crops 0 and 1 (the two large crops) produce codes: the reference's crops_for_assign.</summary>
    private const int AssignmentCrops = 2;

    private readonly MethodSpec spec;
    private readonly ResNet encoder;
    private readonly Sequential projection_head;
    private readonly Linear prototypes;

    /// <summary>(2, Lq, D): the last Lq embeddings of each assignment crop, newest first; null without a queue.</summary>
    private readonly Tensor? queue;

    private readonly int imageSize;
    private readonly int largeCrops;
    private readonly int views;
    private readonly double temperature;
    private readonly double epsilon;
    private readonly long sinkhornIterations;
    private readonly long freezePrototypes;
    private readonly bool freezeCountsEpochs;
    private readonly long epochQueueStarts;

    public SwAV(MethodSpec spec, ResNetOptions trunk, int imageSize, CellRandom random)
        : base("swav")
    {
        this.spec = spec;
        var crops = spec.Integers("crops");
        views = (int)crops.Sum();
        if (views < AssignmentCrops)
        {
            throw new ArgumentException($"SwAV predicts the codes of crops 0 and 1 from the other crops, so it needs at least 2 crops; got {views}", nameof(spec));
        }

        this.imageSize = imageSize;
        largeCrops = (int)crops[0];
        temperature = spec.Real("temperature");
        epsilon = spec.Real("epsilon");
        sinkhornIterations = spec.Integer("sinkhorn_iterations");
        freezePrototypes = spec.Integer("freeze_prototypes");
        freezeCountsEpochs = spec.Choice("freeze_prototypes_unit") == "epochs";
        epochQueueStarts = spec.Integer("epoch_queue_starts");

        var featureDim = spec.Integer("feature_dim");
        encoder = new ResNet(trunk, random);
        projection_head = Mlp.Create(encoder.FeatureDim, spec.Integer("hidden_dim"), featureDim, batchNorm: true, lastBias: true, random.Init);
        prototypes = ParameterInit.PyTorchDefaults(nn.Linear(featureDim, spec.Integer("prototypes"), hasBias: false), random.Init);

        // The reference trims the queue to a multiple of the batch so that it fills in whole batches (main_swav.py).
        var batchSize = spec.Integer("batch_size");
        var queueLength = spec.Integer("queue_length");
        queueLength -= queueLength % batchSize;
        queue = queueLength > 0 ? zeros(AssignmentCrops, queueLength, featureDim) : null;
        RegisterComponents();
    }

    public ResNet Encoder => encoder;

    /// <summary>Trunk, head and prototypes: every parameter of the model (the queue is a buffer, which no optimizer sees).</summary>
    public nn.Module Trainable => this;

    public nn.Module State => this;

    /// <summary>
    /// The official recipe (METHODS.md §4.1, §4.3): SGD with momentum under LARC (trust 0.001, weight decay on
    /// every parameter), a linear warm-up from start_warmup_lr to learning_rate, then a cosine to final_lr, per step.
    /// The authors' pl_bolts LARS equals LARC here: every group has weight decay (PROTOCOL.md §5).
    /// </summary>
    public TrainingRecipe CreateRecipe(long stepsPerEpoch, long totalSteps)
    {
        var learningRate = spec.Real("learning_rate");
        var warmup = TrainingRecipe.WarmupSteps(spec, "warmup_epochs", stepsPerEpoch, totalSteps);
        var larc = new Larc(ParameterGrouping.AllDecay(this).ToGroups(learningRate, spec.Real("weight_decay")), spec.Real("momentum"));
        return TrainingRecipe.Following(larc, new SwavLearningRateSchedule(learningRate, spec.Real("final_lr"), spec.Real("start_warmup_lr"), warmup, totalSteps));
    }

    /// <summary>The queue (2, Lq, D), newest embeddings first; null when queue_length is below one batch.</summary>
    internal Tensor? Queue => queue;


    /// <summary>
    /// The swapped-prediction loss (METHODS.md §4.3). <paramref name="views"/> are crops[0] large crops
    /// of the run's image size, then the small crops, each (B, C, S, S).
    /// </summary>
    public Tensor Loss(IReadOnlyList<Tensor> views, TrainingProgress progress)
    {
        CheckViews(views);
        var batch = views[0].shape[0];
        using (no_grad())
        {
            // Step 2: unit-norm prototypes, so that scores are cosines in [−1, 1] and exp(S/ε) cannot overflow.
            prototypes.weight!.copy_(nn.functional.normalize(prototypes.weight!, dim: 1));
        }

        // Step 3: one trunk forward per run of equal-size crops (BN statistics per resolution), then the
        // head on all crops at once, as the reference's forward.
        var features = cat(SizeRuns(views).Select(run => encoder.forward(cat(run, 0))).ToArray(), 0);
        var embeddings = nn.functional.normalize(projection_head.forward(features), dim: 1);
        var scores = prototypes.forward(embeddings);

        var queueStarted = queue is not null && progress.Step >= epochQueueStarts * progress.StepsPerEpoch;
        var codes = new Tensor[AssignmentCrops];
        for (var crop = 0; crop < AssignmentCrops; crop++)
        {
            codes[crop] = AssignmentCodes(crop, scores.narrow(0, crop * batch, batch), embeddings.narrow(0, crop * batch, batch), queueStarted);
        }

        return SwappedPredictionLoss.Compute(scores, codes, temperature);
    }

    /// <summary>While the prototypes are frozen their gradient is dropped, so the optimizer skips them entirely (no decay, no momentum).</summary>
    public void AfterBackward(TrainingProgress progress)
    {
        // The reference counts iterations; the authors' pl_bolts code counts whole epochs (PROTOCOL.md §5).
        var frozenSteps = freezeCountsEpochs ? freezePrototypes * progress.StepsPerEpoch : freezePrototypes;
        if (progress.Step < frozenSteps)
        {
            prototypes.weight!.grad = null;
        }
    }

    public void AfterStep(TrainingProgress progress)
    {
    }

    /// <summary>
    /// The codes of assignment crop <paramref name="crop"/> from its scores (B, K) and embeddings (B, D)
    /// (METHODS.md §4.3 step 4). Once the queue has started it is shifted by B and the new embeddings
    /// enter at the front, even while it fills; once full (last row non-zero) its embeddings, scored with
    /// the current prototypes, join Sinkhorn in front of the batch and the codes are the last B rows.
    /// </summary>
    internal Tensor AssignmentCodes(int crop, Tensor scores, Tensor embeddings, bool queueStarted)
    {
        using var noGrad = no_grad();
        var batch = scores.shape[0];
        var assigned = scores.detach();
        if (queueStarted)
        {
            var cropQueue = queue!.select(0, crop);
            var length = cropQueue.shape[0];
            if (cropQueue[-1].ne(0).any().item<bool>())
            {
                assigned = cat([cropQueue.mm(prototypes.weight!.t()), assigned], 0);
            }

            cropQueue.narrow(0, batch, length - batch).copy_(cropQueue.narrow(0, 0, length - batch).clone());
            cropQueue.narrow(0, 0, batch).copy_(embeddings);
        }

        var codes = SinkhornKnopp.Codes(assigned, epsilon, sinkhornIterations);
        return codes.narrow(0, codes.shape[0] - batch, batch);
    }

    private void CheckViews(IReadOnlyList<Tensor> crops)
    {
        if (crops.Count != views)
        {
            throw new ArgumentException($"SwAV expects {views} crops per step (the 'crops' parameter); got {crops.Count}", nameof(crops));
        }

        var batch = crops[0].shape[0];
        if (crops.Any(c => c.shape[0] != batch))
        {
            throw new ArgumentException($"every SwAV crop needs the same batch size; got {string.Join(", ", crops.Select(c => c.shape[0]))}", nameof(crops));
        }

        if (crops.Take(largeCrops).Any(c => c.shape[^1] != imageSize || c.shape[^2] != imageSize))
        {
            throw new ArgumentException($"SwAV's first {largeCrops} crops are the large ones, of the run's image size {imageSize}×{imageSize}", nameof(crops));
        }

        if (queue is not null && batch > queue.shape[1])
        {
            throw new ArgumentException($"a batch of {batch} does not fit the SwAV queue of {queue.shape[1]}", nameof(crops));
        }
    }

    /// <summary>Consecutive crops of equal size, as the reference groups them (unique_consecutive over the sizes).</summary>
    private static IEnumerable<Tensor[]> SizeRuns(IReadOnlyList<Tensor> crops)
    {
        var start = 0;
        for (var end = 1; end <= crops.Count; end++)
        {
            if (end == crops.Count || crops[end].shape[^1] != crops[start].shape[^1])
            {
                yield return crops.Skip(start).Take(end - start).ToArray();
                start = end;
            }
        }
    }
}
