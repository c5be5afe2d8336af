using System.Text.Json.Nodes;
using Reproduce.Learning.Losses;
using Reproduce.Learning.Methods;
using Reproduce.Learning.Models;
using Reproduce.Learning.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Methods;

/// <summary>SwAV's Sinkhorn-Knopp, swapped prediction, prototype freezing and queue (METHODS.md §4.3, §4.5).</summary>
public sealed class SwAVTests : IDisposable
{
    private const long Batch = 2;
    private const long Prototypes = 30;
    private const long FeatureDim = 128;

    private readonly CellRandom random = new(1);

    public void Dispose() => random.Dispose();

    [Fact]
    public void WithAllPrototypesEqualTheModelLossIsLnK()
    {
        using var scope = NewDisposeScope();
        using var model = Model();
        using (no_grad())
        {
            Prototype(model).copy_(randn([1, FeatureDim], generator: random.Init).expand(Prototypes, FeatureDim));
        }

        var loss = model.Loss(Crops(5), Progress(0)).item<float>();

        Assert.Equal(Math.Log(Prototypes), loss, 4);
    }

    [Fact]
    public void TheLossAtInitialisationIsNearLnK()
    {
        using var scope = NewDisposeScope();
        using var model = Model(("prototypes", 3000));

        var loss = model.Loss(Crops(6), Progress(0)).item<float>();

        // Random 128-d cosines have a spread of about 1/√128, so the loss sits a little above the uniform
        // prediction's ln K: 8.38 for ln 3000 = 8.006 with a random ResNet50 (§4.5).
        Assert.InRange(loss, Math.Log(3000), Math.Log(3000) + 0.6);
    }

    [Fact]
    public void EveryStepStartsFromUnitNormPrototypesSoScoresAreCosines()
    {
        using var scope = NewDisposeScope();
        using var model = Model();
        using (no_grad())
        {
            Prototype(model).mul_(7);
        }

        model.Loss(Crops(7), Progress(0));

        var rowNorms = Prototype(model).norm(dim: 1);
        Assert.True((rowNorms - 1).abs().max().item<float>() < 1e-6);
        var scores = nn.functional.normalize(randn([64, FeatureDim], generator: random.Init), dim: 1).mm(Prototype(model).t());
        Assert.True(scores.abs().max().item<float>() <= 1 + 1e-6);
    }

    [Fact]
    public void FrozenPrototypesAreBitIdenticalAcrossAnSGDStepWithWeightDecay()
    {
        using var scope = NewDisposeScope();
        using var model = Model(("freeze_prototypes", 1));
        using var optimizer = optim.SGD(model.Trainable.parameters(), 0.1, momentum: 0.9, weight_decay: 0.1);
        var conv1 = model.Encoder.named_parameters().Single(p => p.name == "conv1.weight").parameter;

        foreach (var step in new long[] { 0, 1 })
        {
            var progress = Progress(step);
            optimizer.zero_grad();
            model.Loss(Crops(8 + step), progress).backward();
            model.AfterBackward(progress);
            var prototypesBefore = Prototype(model).clone();
            var conv1Before = conv1.clone();
            optimizer.step();

            Assert.False(Same(conv1, conv1Before), $"the trunk did not move at step {step}");
            Assert.Equal(step < 1, Same(Prototype(model), prototypesBefore));
        }
    }

    [Theory]
    // freeze_prototypes = 2: the reference counts iterations; the authors' code epochs (here of 10 steps).
    [InlineData("iterations", 1, true)]
    [InlineData("iterations", 2, false)]
    [InlineData("epochs", 19, true)]
    [InlineData("epochs", 20, false)]
    public void ThePrototypeGradientIsDroppedWhileFrozen(string unit, long step, bool frozen)
    {
        using var scope = NewDisposeScope();
        using var model = Model(("freeze_prototypes", 2), ("freeze_prototypes_unit", unit));
        Prototype(model).grad = ones_like(Prototype(model));

        model.AfterBackward(Progress(step));

        Assert.Equal(frozen, Prototype(model).grad is null);
    }

    [Fact]
    public void TheQueueFillsNewestFirstAndJoinsSinkhornOnlyOnceFull()
    {
        using var scope = NewDisposeScope();
        using var model = Model(("queue_length", 2 * Batch));
        var queue = model.Queue!;
        var weights = Prototype(model);
        Assert.Equal([2L, 2 * Batch, FeatureDim], queue.shape);

        Tensor? previous = null;
        for (var step = 0; step < 3; step++)
        {
            var embeddings = nn.functional.normalize(randn([Batch, FeatureDim], generator: random.Init), dim: 1);
            var scores = embeddings.mm(weights.t());
            var queueBefore = queue[0].clone();

            var codes = model.AssignmentCodes(0, scores, embeddings, queueStarted: true);

            // Steps 0 and 1 fill the queue (B rows to Sinkhorn); from step 2 it is full (Lq + B rows, codes the last B).
            var expected = step < 2
                ? SinkhornKnopp.Codes(scores, 0.05, 3)
                : SinkhornKnopp.Codes(cat([queueBefore.mm(weights.t()), scores], 0), 0.05, 3).narrow(0, 2 * Batch, Batch);
            Assert.True(Same(codes, expected), $"step {step}: codes differ");
            Assert.True(Same(queue[0].narrow(0, 0, Batch), embeddings), $"step {step}: the newest embeddings are not in rows [0, B)");
            Assert.True(Same(queue[0].narrow(0, Batch, Batch), previous ?? zeros(Batch, FeatureDim)), $"step {step}: the previous batch did not move to rows [B, 2B)");
            Assert.Equal(0, queue[1].abs().max().item<float>());
            previous = embeddings;
        }
    }

    [Fact]
    public void TheQueueStartsAtEpochQueueStarts()
    {
        using var scope = NewDisposeScope();
        using var model = Model(("queue_length", 2 * Batch), ("epoch_queue_starts", 1));

        model.Loss(Crops(10), Progress(9));
        Assert.Equal(0, model.Queue!.abs().max().item<float>());

        model.Loss(Crops(11), Progress(10));
        var newest = model.Queue!.narrow(1, 0, Batch);
        Assert.True((newest.norm(dim: 2) - 1).abs().max().item<float>() < 1e-5, "both assignment crops' embeddings enter the queue");
        Assert.Equal(0, model.Queue!.narrow(1, Batch, Batch).abs().max().item<float>());
    }

    [Fact]
    public void ThreeSGDStepsRunAndTheStateRoundTrips()
    {
        using var scope = NewDisposeScope();
        using var model = Model(("queue_length", Batch), ("freeze_prototypes", 1));
        using var optimizer = optim.SGD(model.Trainable.parameters(), 0.05, momentum: 0.9, weight_decay: 1e-6);
        for (var step = 0; step < 3; step++)
        {
            var progress = Progress(step);
            optimizer.zero_grad();
            var loss = model.Loss(Crops(20 + step), progress);
            loss.backward();
            model.AfterBackward(progress);
            optimizer.step();
            Assert.True(float.IsFinite(loss.item<float>()), $"step {step}: loss {loss.item<float>()}");
        }

        using var restoredRandom = new CellRandom(99);
        using var restored = new SwAV(Spec(("queue_length", Batch), ("freeze_prototypes", 1)), new ResNetOptions(ResNetOptions.ResNet18), 64, restoredRandom);
        var (missing, unexpected) = restored.State.load_state_dict(model.State.state_dict());

        Assert.Empty(missing);
        Assert.Empty(unexpected);
        Assert.Contains("queue", model.State.state_dict().Keys);
        Assert.Equal(model.Loss(Crops(30), Progress(3)).item<float>(), restored.Loss(Crops(30), Progress(3)).item<float>());
    }

    [Fact]
    public void OnlyTheTrunkIsPublishedAndTheStateHasTheReferenceNames()
    {
        using var model = Model(("queue_length", Batch));
        var keys = model.State.state_dict().Keys.ToList();

        Assert.Contains("projection_head.1.running_mean", keys);
        Assert.Contains("prototypes.weight", keys);
        Assert.Contains("encoder.layer4.1.bn2.weight", keys);
        Assert.Equal(model.State.parameters().Count(), model.Trainable.parameters().Count());
        Assert.DoesNotContain(model.Encoder.state_dict().Keys, k => k.Contains("prototypes", StringComparison.Ordinal) || k.Contains("projection", StringComparison.Ordinal));
    }

    [Fact]
    public void CropsMustMatchTheSpec()
    {
        using var scope = NewDisposeScope();
        using var model = Model();

        Assert.Throws<ArgumentException>(() => model.Loss(Crops(12).Take(3).ToArray(), Progress(0)));
        Assert.Throws<ArgumentException>(() => model.Loss([randn(Batch, 3, 32, 32), randn(Batch, 3, 32, 32), randn(Batch, 3, 32, 32), randn(Batch, 3, 32, 32)], Progress(0)));
    }

    private SwAV Model(params (string Name, JsonNode Value)[] overrides) =>
        new(Spec(overrides), new ResNetOptions(ResNetOptions.ResNet18), 64, random);

    private static Reproduce.Core.Manifests.MethodSpec Spec(params (string Name, JsonNode Value)[] overrides) =>
        TestSpecs.Spec(SwAV.Descriptor,
        [
            ("batch_size", Batch), ("crops", new JsonArray(2, 2)), ("prototypes", Prototypes),
            ("hidden_dim", 64), ("feature_dim", FeatureDim), ("freeze_prototypes", 0), ("epoch_queue_starts", 0),
            .. overrides,
        ]);

    private static Tensor Prototype(SwAV model) => model.named_parameters().Single(p => p.name == "prototypes.weight").parameter;

    /// <summary>Two 64-px crops and two 32-px crops of a batch.</summary>
    private static Tensor[] Crops(long seed)
    {
        var generator = new Generator((ulong)seed);
        return [randn(Batch, 3, 64, 64, generator: generator), randn(Batch, 3, 64, 64, generator: generator), randn(Batch, 3, 32, 32, generator: generator), randn(Batch, 3, 32, 32, generator: generator)];
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static TrainingProgress Progress(long step) => new(step, TotalSteps: 100, StepsPerEpoch: 10);
}
