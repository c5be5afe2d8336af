using Reproduce.Core.Manifests;
using Reproduce.Core.Methods;
using Reproduce.Learning.Losses;
using Reproduce.Learning.Models;
using Reproduce.Learning.Optimization;
using Reproduce.Learning.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Reproduce.Learning.Methods;

/// <summary>
/// BYOL (METHODS.md §2): an online network (trunk, projector, predictor) regresses the projections of a
/// target network (trunk, projector) that is a copy of it followed by a cosine-scheduled EMA. State dict:
/// <c>online.{encoder,projector,predictor}.*</c> and <c>target.{encoder,projector}.*</c>.
/// </summary>
public sealed class Byol : Module, IPretrainingModel
{
    /// <summary>Defaults are the reference's (DeepMind, 1000 epochs, B = 4096).</summary>
    public static readonly MethodDescriptor Descriptor = new("byol", "BYOL",
    [
        .. CommonParameters.Training(batchSize: 4096, epochs: 1000, learningRate: 0.2 * 4096 / 256, weightDecay: 1.5e-6, warmupEpochs: 10),
        ParameterSpec.Choice("optimizer", "lars", "lars: DeepMind's LARS (η 1e-3, bias/BN excluded) with a per-step warm-up cosine; adam: the study's Adam with pl_bolts' per-epoch LinearWarmupCosineAnnealingLR", "lars", "adam"),
        ParameterSpec.Real("momentum", 0.9, "LARS momentum"),
        ParameterSpec.Real("tau_base", 0.996, "target EMA rate at step 0; rises to 1 on a cosine", max: 1),
        ParameterSpec.Int("projector_hidden", 4096, "projector hidden width", min: 1),
        ParameterSpec.Int("projection_dim", 256, "projection (and prediction) width", min: 1),
        ParameterSpec.Int("predictor_hidden", 4096, "predictor hidden width", min: 1),
        ParameterSpec.Int("schedule_epochs", 0, "with adam, the authors' quirk: the per-epoch cosine's length fixed at this many epochs (they hard-code 100; 0: the run's length)"),
    ]);

    private readonly MethodSpec spec;
    private readonly Network online;
    private readonly Network target;
    private readonly double tauBase;

    public Byol(MethodSpec spec, ResNetOptions trunk, CellRandom random)
        : base(Descriptor.Id)
    {
        this.spec = spec;
        tauBase = spec.Real("tau_base");
        var (projectorHidden, projection, predictorHidden) = (spec.Integer("projector_hidden"), spec.Integer("projection_dim"), spec.Integer("predictor_hidden"));
        online = new Network(trunk, projectorHidden, projection, predictorHidden, random);
        target = new Network(trunk, projectorHidden, projection, predictorHidden: null, random);
        MomentumTarget.Initialise(online, target);
        RegisterComponents();
    }

    /// <summary>The online network θ: what the optimizer updates.</summary>
    public Network Online => online;

    /// <summary>The target network ξ: no gradients, trained by <see cref="AfterStep"/> only.</summary>
    public Network Target => target;

    public ResNet Encoder => online.Encoder;

    public Module Trainable => online;

    public Module State => this;

    /// <summary>
    /// <c>lars</c>: DeepMind's recipe (METHODS.md §2.4–2.5): LARS with biases and BN excluded from decay and
    /// adaptation, a linear warm-up from 0 then a cosine to 0, per step. <c>adam</c>: the study's (PROTOCOL.md §5):
    /// Adam with L2 decay on every parameter and pl_bolts' LinearWarmupCosineAnnealingLR stepped per epoch,
    /// whose length is <c>schedule_epochs</c> when set (the authors hard-code 100) or the run's.
    /// </summary>
    public TrainingRecipe CreateRecipe(long stepsPerEpoch, long totalSteps)
    {
        var (peak, decay) = (spec.Real("learning_rate"), spec.Real("weight_decay"));
        if (spec.Choice("optimizer") == "lars")
        {
            var warmup = TrainingRecipe.WarmupSteps(spec, "warmup_epochs", stepsPerEpoch, totalSteps);
            var lars = new ByolLars(ParameterGrouping.Byol(online).ToGroups(peak, decay, excludeNoDecayFromAdaptation: true), spec.Real("momentum"));
            return TrainingRecipe.Following(lars, new ByolLearningRateSchedule(peak, warmup, totalSteps));
        }

        var runEpochs = (totalSteps + stepsPerEpoch - 1) / stepsPerEpoch;
        var scheduleEpochs = spec.Integer("schedule_epochs") > 0 ? spec.Integer("schedule_epochs") : runEpochs;
        var warmupEpochs = (long)Math.Round(spec.Real("warmup_epochs"));
        if (warmupEpochs < 1 || warmupEpochs >= scheduleEpochs)
        {
            throw new Core.Errors.UsageException($"byol with adam: warmup_epochs ({spec.Real("warmup_epochs")}) must be a whole number of epochs from 1 to below the schedule's {scheduleEpochs}");
        }

        var adam = new Optimization.Adam(ParameterGrouping.AllDecay(online).ToGroups(peak, decay));
        return TrainingRecipe.Following(adam, new LinearWarmupCosineAnnealingSchedule(peak, warmupEpochs, scheduleEpochs));
    }

    /// <summary>
    /// τ_k = 1 − (1 − τ_base)·(cos(πk/K) + 1)/2: τ_base at k = 0, 1 at k = K (METHODS.md §2.3 step 6,
    /// DeepMind <c>schedules.target_ema</c>).
    /// </summary>
    public static double TargetDecay(double tauBase, long step, long totalSteps) =>
        1 - ((1 - tauBase) * (Math.Cos(Math.PI * step / totalSteps) + 1) / 2);

    /// <summary>
    /// L = ℓ(p1, sg(z'2)) + ℓ(p2, sg(z'1)). Each view gets its own forward so BN normalises per view (§2.3
    /// step 2, §6); the target runs in train mode under no_grad.
    /// </summary>
    public Tensor Loss(IReadOnlyList<Tensor> views, TrainingProgress progress)
    {
        if (views.Count != 2)
        {
            throw new ArgumentException($"BYOL takes two views; got {views.Count}", nameof(views));
        }

        var firstPrediction = online.Predict(online.Project(views[0]));
        var secondPrediction = online.Predict(online.Project(views[1]));
        Tensor firstTarget, secondTarget;
        using (no_grad())
        {
            firstTarget = target.Project(views[0]);
            secondTarget = target.Project(views[1]);
        }

        return ByolRegressionLoss.Symmetric(firstPrediction, secondPrediction, firstTarget, secondTarget);
    }

    public void AfterBackward(TrainingProgress progress)
    {
    }

    /// <summary>
    /// ξ ← τ_k·ξ + (1 − τ_k)·θ with the θ the optimizer has just produced (§2.3 step 6). k is the 0-based
    /// index of the step just taken: DeepMind's update function computes both this step's learning rate and
    /// τ from the same pre-increment global_step, so the first update uses τ_base (solo-learn and the
    /// authors' pl_bolts callback also apply τ_base first).
    /// </summary>
    public void AfterStep(TrainingProgress progress) =>
        MomentumTarget.Update(online, target, TargetDecay(tauBase, progress.Step, progress.TotalSteps));

    /// <summary>
    /// A trunk, a projector Mlp(feat → hidden → projection, BN, no last bias) and, online only, a predictor
    /// Mlp(projection → hidden → projection, BN, no last bias) (METHODS.md §2.1).
    /// </summary>
    public sealed class Network : Module
    {
        private readonly ResNet encoder;
        private readonly Sequential projector;
        private readonly Sequential? predictor;

        internal Network(ResNetOptions trunk, long projectorHidden, long projection, long? predictorHidden, CellRandom random)
            : base(nameof(Network))
        {
            encoder = new ResNet(trunk, random);
            projector = Mlp.Create(encoder.FeatureDim, projectorHidden, projection, batchNorm: true, lastBias: false, random.Init);
            predictor = predictorHidden is { } hidden ? Mlp.Create(projection, hidden, projection, batchNorm: true, lastBias: false, random.Init) : null;
            RegisterComponents();
        }

        public ResNet Encoder => encoder;

        /// <summary>z = g(f(x)): (B, projection_dim).</summary>
        public Tensor Project(Tensor images) => projector.forward(encoder.forward(images));

        /// <summary>p = q(z): (B, projection_dim); the online network only.</summary>
        public Tensor Predict(Tensor projection) =>
            (predictor ?? throw new InvalidOperationException("the target network has no predictor")).forward(projection);
    }
}
