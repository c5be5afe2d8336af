using System.Text.Json.Nodes;
using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;
using Reproduce.Data.Splits;
using Reproduce.Data.Store;
using Reproduce.Learning.Augmentations;
using Reproduce.Learning.Methods;
using Reproduce.Learning.Models;
using Reproduce.Learning.Pretraining;
using Reproduce.Learning.Runtime;
using Reproduce.Learning.Tests.Runtime;
using static Reproduce.Learning.Tests.TestSpecs;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Pretraining;

/// <summary>
/// The pre-training loop: a stopped and resumed run ends bitwise where an uninterrupted one does, and a run's bytes
/// depend on its cell's seed, never on torch's process-global generator (CPU).
/// </summary>
public sealed class PretrainingRunTests : IDisposable
{
    private const int Size = 64;
    private readonly string folder = Directory.CreateTempSubdirectory("reproduce-pretrain-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>
    /// Stopped after step 3: with checkpoints every 2 steps, and with none due (as a cluster's signal before the time
    /// limit stops it), the run keeps a checkpoint of the steps it finished and resumes from there to the same bytes.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(1000)]
    public void ARunStoppedBetweenStepsKeepsItsStepsAndResumesToTheUninterruptedResult(int checkpointEvery)
    {
        var store = TinyStore.Write(Path.Combine(folder, "store"), count: 6, Size);
        // SparK draws masks and drop path from the cell's step stream, so the resumed run also needs it restored.
        var spec = Spec(SparK.Descriptor, ("batch_size", 2), ("epochs", 2), ("warmup_epochs", 0.5), ("decoder_width", 32), ("learning_rate", 1e-3));

        var (uninterrupted, fullCurve, _) = Train(spec, store, Path.Combine(folder, "a"), seed: 1, stopAfter: null, checkpointEvery);

        var interrupted = Path.Combine(folder, "b");
        Assert.Throws<OperationCanceledException>(() => Train(spec, store, interrupted, seed: 1, stopAfter: 3, checkpointEvery));
        Assert.True(File.Exists(Path.Combine(interrupted, PretrainingCheckpoint.FileName)));
        // Another seed: everything the resumed run needs must come from the checkpoint.
        var (resumed, resumedCurve, resumedFrom) = Train(spec, store, interrupted, seed: 99, stopAfter: null, checkpointEvery);

        Assert.Equal(3, resumedFrom);
        Assert.Equal(6, fullCurve.Count);
        Assert.Equal(fullCurve, resumedCurve);
        Assert.Equal(uninterrupted.Keys, resumed.Keys);
        Assert.All(uninterrupted, p => Assert.True(p.Value.eq(resumed[p.Key]).all().item<bool>(), $"{p.Key} differs"));
        Assert.False(File.Exists(Path.Combine(interrupted, PretrainingCheckpoint.FileName)), "the finished run keeps its checkpoint");
        Assert.Equal(7, File.ReadAllLines(Path.Combine(interrupted, LossCurve.FileName)).Length);
    }

    [Theory]
    [InlineData("byol")]
    [InlineData("mocov2")]
    [InlineData("swav")]
    [InlineData("spark")]
    public void ARunGivesTheSameBytesWhateverTheGlobalGeneratorHoldsAndOtherBytesUnderAnotherCellSeed(string method)
    {
        var store = TinyStore.Write(Path.Combine(folder, "store"), count: 6, Size);
        var spec = TinySpec(method);

        manual_seed(1);
        var (first, firstCurve, _) = Train(spec, store, Path.Combine(folder, "a"), seed: 1, stopAfter: null);
        manual_seed(2);
        using (rand(1000))
        {
            // The global generator is seeded differently and moved on: a draw from it would change the run.
        }

        var (second, secondCurve, _) = Train(spec, store, Path.Combine(folder, "b"), seed: 1, stopAfter: null);
        var (otherSeed, _, _) = Train(spec, store, Path.Combine(folder, "c"), seed: 2, stopAfter: null);

        Assert.Equal(firstCurve, secondCurve);
        Assert.All(first, p => Assert.True(p.Value.eq(second[p.Key]).all().item<bool>(), $"{method}: {p.Key} depends on the global generator"));
        Assert.Contains(first, p => p.Value.dtype == ScalarType.Float32 && !p.Value.eq(otherSeed[p.Key]).all().item<bool>());
    }

    [Fact]
    public void ARunLogsEveryStepsLossLearningRateAndThroughputAsTensorBoardEvents()
    {
        var store = TinyStore.Write(Path.Combine(folder, "store"), count: 6, Size);
        var directory = Path.Combine(folder, "cell");

        var (_, curve, _) = Train(TinySpec("byol"), store, directory, seed: 1, stopAfter: null);

        var events = TensorBoardEventFile.Read(Assert.Single(Directory.GetFiles(Path.Combine(directory, TensorBoardLog.Folder))));
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        var scalars = events.Skip(1).Select(e => (Assert.Single(e.Scalars), e.Step)).ToList();
        Assert.Equal(curve.Select(r => ((float)r.Loss, r.Step)), scalars.Where(s => s.Item1.Tag == TensorBoardLog.Loss).Select(s => (s.Item1.Value, s.Step)));
        Assert.Equal(curve.Select(r => ((float)r.LearningRate, r.Step)), scalars.Where(s => s.Item1.Tag == TensorBoardLog.LearningRate).Select(s => (s.Item1.Value, s.Step)));
        var throughput = scalars.Where(s => s.Item1.Tag == TensorBoardLog.ImagesPerSecond).ToList();
        Assert.Equal(curve.Select(r => r.Step), throughput.Select(s => s.Step));
        Assert.All(throughput, s => Assert.True(s.Item1.Value > 0 && float.IsFinite(s.Item1.Value), $"{s.Item1.Value} images/s"));
        Assert.Equal(3 * curve.Count, scalars.Count);
    }

    /// <summary>Each method at a size that trains six steps in seconds: two epochs of three batches of two.</summary>
    private static MethodSpec TinySpec(string method) => method switch
    {
        "byol" => Spec(Byol.Descriptor, ("batch_size", 2), ("epochs", 2), ("warmup_epochs", 0.5), ("projector_hidden", 64), ("predictor_hidden", 64), ("projection_dim", 32)),
        "mocov2" => Spec(MoCoV2.Descriptor, ("batch_size", 2), ("epochs", 2), ("queue_size", 8), ("feature_dim", 32)),
        "swav" => Spec(SwAV.Descriptor, ("batch_size", 2), ("epochs", 2), ("warmup_epochs", 0.5), ("hidden_dim", 64), ("feature_dim", 32), ("prototypes", 30), ("freeze_prototypes", 1)),
        "spark" => Spec(SparK.Descriptor, ("batch_size", 2), ("epochs", 2), ("warmup_epochs", 0.5), ("decoder_width", 32), ("learning_rate", 1e-3)),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "not a method"),
    };

    private static (Dictionary<string, Tensor> Encoder, IReadOnlyList<StepRecord> Curve, long ResumedFrom) Train(MethodSpec spec, string store, string directory, long seed, int? stopAfter, int checkpointEvery = 2)
    {
        Directory.CreateDirectory(directory);
        using var random = new CellRandom(seed);
        using var images = new PretrainImages(TensorStore.Open(store));
        var plan = new EpochPlan(images.Count, (int)spec.Integer("batch_size"), spec.Integer("epochs"), 0, seed: 5);
        using var model = MethodRegistry.Create(spec, new ResNetOptions(ResNetOptions.ResNet18), Size, random);
        using var recipe = model.CreateRecipe(plan.StepsPerEpoch, plan.TotalSteps);
        var views = new ViewBatcher(MethodViews.Create(spec, Size, 3), 1);
        using var cancel = new CancellationTokenSource();
        var progress = new StopAfter(stopAfter, cancel);
        var log = new TensorBoardLog(directory, TimeProvider.System);
        var outcome = new PretrainingRun(model, recipe, images, plan, views, seed: 7, CPU, random).Run(directory, checkpointEvery, new Dictionary<string, string>(), log, progress, cancel.Token);
        var encoder = model.Encoder.state_dict().ToDictionary(p => p.Key, p => p.Value.clone().DetachFromDisposeScope());
        return (encoder, outcome.Curve, outcome.ResumedFrom);
    }

    /// <summary>Cancels the run once <c>stopAfter</c> steps are done, as a kill between steps would leave it.</summary>
    private sealed class StopAfter(int? stopAfter, CancellationTokenSource cancel) : ICellProgress
    {
        public void Report(double done, double total, string unit)
        {
            if (done >= stopAfter)
            {
                cancel.Cancel();
            }
        }

        public void Message(string text)
        {
        }
    }
}
