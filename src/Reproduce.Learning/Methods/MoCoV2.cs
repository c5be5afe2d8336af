using Reproduce.Core.Manifests;
using Reproduce.Core.Methods;
using Reproduce.Learning.Losses;
using Reproduce.Learning.Models;
using Reproduce.Learning.Optimization;
using Reproduce.Learning.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Reproduce.Learning.Methods;

/// <summary>
/// MoCo v2 (METHODS.md §3): a query encoder (trunk + head) trained with InfoNCE against a momentum key
/// encoder's key and a queue of earlier keys. State dict: <c>query.{encoder,head}.*</c>,
/// <c>key.{encoder,head}.*</c>, <c>queue</c> (feature_dim × queue_size) and <c>queue_ptr</c>, the
/// reference's buffer names.
/// </summary>
public sealed class MoCoV2 : Module, IPretrainingModel
{
    /// <summary>Defaults are the official <c>--mlp --moco-t 0.2 --aug-plus --cos</c> run.</summary>
    public static readonly MethodDescriptor Descriptor = new("mocov2", "MoCo v2",
    [
        .. CommonParameters.Training(batchSize: 256, epochs: 200, learningRate: 0.03, weightDecay: 1e-4, warmupEpochs: 0),
        ParameterSpec.Real("momentum", 0.9, "SGD momentum"),
        ParameterSpec.Real("temperature", 0.2, "InfoNCE temperature", min: 1e-4),
        ParameterSpec.Int("queue_size", 65536, "negative keys in the queue (a multiple of batch_size)", min: 1),
        ParameterSpec.Real("key_momentum", 0.999, "key-encoder EMA momentum", max: 1),
        ParameterSpec.Int("feature_dim", 128, "embedding width", min: 1),
        ParameterSpec.Choice("head", "mlp", "MLP head (v2) or the authors' single linear layer", "mlp", "linear"),
        ParameterSpec.Flag("shuffle_bn", true, "emulate multi-GPU shuffling BN on one device (split BN over key sub-batches)"),
    ]);

    /// <summary>The reference's GPU count, whose per-GPU BN the split BN reproduces (METHODS.md §3.3).</summary>
    public const int ReferenceBatchNormSplits = 8;

    private readonly MethodSpec spec;
    private readonly Network query;
    private readonly Network key;
    private readonly Tensor queue;
    private readonly Tensor queue_ptr;
    private readonly double temperature;
    private readonly double keyMomentum;
    private readonly bool shuffleKeys;
    private readonly CellRandom random;

    public MoCoV2(MethodSpec spec, ResNetOptions trunk, CellRandom random)
        : base(Descriptor.Id)
    {
        this.spec = spec;
        this.random = random;
        var (batchSize, queueSize) = (spec.Integer("batch_size"), spec.Integer("queue_size"));
        if (queueSize % batchSize != 0)
        {
            throw new ArgumentException($"MoCo's queue_size ({queueSize}) must be a multiple of batch_size ({batchSize}): each step replaces one whole slice of keys", nameof(spec));
        }

        temperature = spec.Real("temperature");
        keyMomentum = spec.Real("key_momentum");
        shuffleKeys = spec.Flag("shuffle_bn");
        var encoderOptions = trunk with { BatchNormSplits = shuffleKeys ? BatchNormSplits(batchSize) : 1 };
        var (featureDim, linearHead) = (spec.Integer("feature_dim"), spec.Choice("head") == "linear");
        query = new Network(encoderOptions, featureDim, linearHead, random);
        key = new Network(encoderOptions, featureDim, linearHead, random);
        MomentumTarget.Initialise(query, key);
        using var gaussian = randn([featureDim, queueSize], generator: random.Init);
        queue = functional.normalize(gaussian, dim: 0);
        queue_ptr = zeros(1, dtype: ScalarType.Int64);
        RegisterComponents();
    }

    /// <summary>f_q: what the optimizer updates.</summary>
    public Network QueryEncoder => query;

    /// <summary>f_k: no gradients, a momentum copy of f_q.</summary>
    public Network KeyEncoder => key;

    /// <summary>The unit-norm keys of earlier steps, one per column (feature_dim, queue_size).</summary>
    public Tensor Queue => queue;

    /// <summary>The column the next batch's keys are written to.</summary>
    public long QueuePointer => queue_ptr.item<long>();

    public ResNet Encoder => query.Encoder;

    public Module Trainable => query;

    public Module State => this;

    /// <summary>The official recipe (METHODS.md §3.1): SGD with momentum, weight decay on every parameter, a cosine set per epoch without warm-up.</summary>
    public TrainingRecipe CreateRecipe(long stepsPerEpoch, long totalSteps)
    {
        var learningRate = spec.Real("learning_rate");
        var sgd = new Sgd(ParameterGrouping.AllDecay(query).ToGroups(learningRate, spec.Real("weight_decay")), spec.Real("momentum"));
        return TrainingRecipe.Following(sgd, new MoCoCosineSchedule(learningRate, (totalSteps + stepsPerEpoch - 1) / stepsPerEpoch));
    }

    /// <summary>
    /// The number of BN sub-batches that emulates the reference's 8 GPUs: 8, or when the batch does not
    /// divide into 8 the largest count below 8 that divides it, so every sub-batch has the same size.
    /// </summary>
    public static int BatchNormSplits(long batchSize) =>
        Enumerable.Range(1, ReferenceBatchNormSplits).Last(splits => batchSize % splits == 0);

    /// <summary>q = normalize(f_q(x_q)) (B, feature_dim).</summary>
    public Tensor Queries(Tensor images) => functional.normalize(query.forward(images), dim: 1);

    /// <summary>
    /// k = normalize(f_k(x_k)) under no_grad (B, feature_dim). With shuffle_bn the batch passes through f_k
    /// in a random order and is put back after, so the split BN's sub-batches of keys are not those of the
    /// queries (the single-GPU shuffle, §3.3 step 3b); the permutation comes from the cell's step stream.
    /// </summary>
    public Tensor Keys(Tensor images)
    {
        using var noGrad = no_grad();
        if (!shuffleKeys)
        {
            return functional.normalize(key.forward(images), dim: 1);
        }

        var permutation = random.Permutation(images.shape[0], images.device);
        var shuffled = functional.normalize(key.forward(images.index_select(0, permutation)), dim: 1);
        return shuffled.index_select(0, argsort(permutation));
    }

    /// <summary>
    /// One step of §3.3: the key encoder's momentum update first, then q, k, the logits against the queue
    /// as it was, and the batch's keys enqueued over the oldest ones.
    /// </summary>
    public Tensor Loss(IReadOnlyList<Tensor> views, TrainingProgress progress)
    {
        if (views.Count != 2)
        {
            throw new ArgumentException($"MoCo takes a query view and a key view; got {views.Count}", nameof(views));
        }

        var batchSize = views[0].shape[0];
        if (queue.shape[1] % batchSize != 0)
        {
            throw new ArgumentException($"a batch of {batchSize} does not divide MoCo's queue of {queue.shape[1]} keys", nameof(views));
        }

        MomentumTarget.Update(query, key, keyMomentum);
        var queries = Queries(views[0]);
        var keys = Keys(views[1]);

        // The queue is overwritten below, before backward: the logits need their own copy of it.
        var logits = InfoNce.Logits(queries, keys, queue.clone(), temperature);
        Enqueue(keys);
        return InfoNce.Loss(logits);
    }

    public void AfterBackward(TrainingProgress progress)
    {
    }

    /// <summary>Nothing: the key encoder's momentum update belongs before the keys of the next <see cref="Loss"/> (§3.3 step 3a).</summary>
    public void AfterStep(TrainingProgress progress)
    {
    }

    /// <summary>Queue[:, ptr : ptr + B] = kᵀ; ptr = (ptr + B) mod K (§3.3 step 6), in place so the registered buffers stay the ones saved.</summary>
    private void Enqueue(Tensor keys)
    {
        using var noGrad = no_grad();
        var (pointer, batchSize) = (QueuePointer, keys.shape[0]);
        queue.narrow(1, pointer, batchSize).copy_(keys.t());
        queue_ptr.fill_((pointer + batchSize) % queue.shape[1]);
    }

    /// <summary>
    /// A trunk and MoCo's head: <c>mlp</c> = Mlp(feat → feat → feature_dim, no BN, bias) (v2, §3.1) or
    /// <c>linear</c> = Linear(feat → feature_dim), the authors' v1-style fc (PROTOCOL.md §5).
    /// </summary>
    public sealed class Network : Module<Tensor, Tensor>
    {
        private readonly ResNet encoder;
        private readonly Module<Tensor, Tensor> head;

        internal Network(ResNetOptions trunk, long featureDim, bool linearHead, CellRandom random)
            : base(nameof(Network))
        {
            encoder = new ResNet(trunk, random);
            head = linearHead
                ? ParameterInit.PyTorchDefaults(Linear(encoder.FeatureDim, featureDim), random.Init)
                : Mlp.Create(encoder.FeatureDim, encoder.FeatureDim, featureDim, batchNorm: false, lastBias: true, random.Init);
            RegisterComponents();
        }

        public ResNet Encoder => encoder;

        /// <summary>The unnormalised embedding (B, feature_dim).</summary>
        public override Tensor forward(Tensor images) => head.forward(encoder.forward(images));
    }
}
