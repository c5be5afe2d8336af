using System.Text.Json.Nodes;
using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Data.Splits;
using Reproduce.Data.Store;
using Reproduce.Learning.Checkpoints;
using Reproduce.Learning.Finetuning;
using Reproduce.Learning.Methods;
using Reproduce.Learning.Models;
using Reproduce.Learning.Runtime;
using Reproduce.Learning.Tests.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Finetuning;

public sealed class FinetuneRunTests : IDisposable
{
    private const int Size = 64;
    private readonly string folder = Directory.CreateTempSubdirectory("reproduce-finetune-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>
    /// A binary task a ResNet learns in a few epochs: class 1 carries a bright square at a random place, class 0
    /// does not; both have the same noise. Official train / validation / test of the given sizes, half per class.
    /// </summary>
    internal static TensorStore SquareStore(string directory, int train, int validation, int test)
    {
        using (var writer = new TensorStoreWriter(directory, Size, Size))
        {
            var random = new Random(7);
            var index = 0;
            foreach (var (split, count) in new[] { (OfficialSplit.Train, train), (OfficialSplit.Validation, validation), (OfficialSplit.Test, test) })
            {
                for (var i = 0; i < count; i++, index++)
                {
                    var label = i % 2;
                    var image = new byte[Size * Size];
                    for (var p = 0; p < image.Length; p++)
                    {
                        image[p] = (byte)random.Next(40, 120);
                    }

                    if (label == 1)
                    {
                        var (top, left) = (random.Next(0, Size - 16), random.Next(0, Size - 16));
                        for (var y = top; y < top + 16; y++)
                        {
                            Array.Fill(image, (byte)230, (y * Size) + left, 16);
                        }
                    }

                    writer.Add($"img{index}", label, split, $"img{index}.png", image);
                }
            }

            writer.Complete("covid", ["NonCOVID", "COVID"], new JsonObject());
        }

        return TensorStore.Open(directory);
    }

    internal static FinetuneSettings Settings(int epochs = 4, int freeze = 1, string protocol = "official-split", double fraction = 1.0) => new(
        new TaskSpec
        {
            Id = "covid",
            Dataset = "covid",
            Classes = 2,
            PositiveClass = 1,
            LabelOrder = "disease-positive",
            Reduction = "random",
            Mean = [0.5, 0.5, 0.5],
            Std = [0.25, 0.25, 0.25],
            Flip = "vertical",
        },
        new FinetuneSpec
        {
            Inits = ["scratch"],
            Epochs = epochs,
            BatchSize = 16,
            Optimizer = "adam",
            LearningRate = 1e-3,
            WeightDecay = 5e-4,
            FreezeBackboneEpochs = freeze,
            TrainBatchNormWhileFrozen = true,
            AuthorsLearningRateDrop = false,
            InputSize = Size,
        },
        Init: "scratch",
        Arch: ResNetOptions.ResNet18,
        Protocol: protocol,
        Folds: protocol == "kfold" ? 2 : 1,
        Fold: 0,
        Fraction: fraction,
        ValidationFraction: 0.15,
        Seed: 42);

    private static FinetuneSettings AuthorsOrder(FinetuneSettings settings) => settings with { Task = settings.Task with { LabelOrder = "authors" } };

    private FinetuneOutcome Train(FinetuneSettings settings, string name, Classifier? model = null)
    {
        using var store = SquareStore(Path.Combine(folder, name), train: 64, validation: 16, test: 32);
        using var data = FinetuneData.Load(store, settings);
        using var random = new CellRandom(1);
        using var owned = model is null ? new Classifier(new ResNetOptions(settings.Arch), settings.Task.Classes, random) : null;
        var log = new TensorBoardLog(Path.Combine(folder, name + "-cell"), TimeProvider.System);
        return new FinetuneRun(model ?? owned!, settings, data, CPU, seed: 5).Run(log, SilentProgress.Instance, CancellationToken.None);
    }

    [Fact]
    public void LearnsALearnableTaskAndSelectsTheBestValidationEpoch()
    {
        var outcome = Train(Settings(epochs: 5), "learn");

        Assert.Equal(5, outcome.Curve.Count);
        Assert.Equal(outcome.Curve.Max(e => e.ValidationAccuracy), outcome.BestValidationAccuracy);
        Assert.Equal(outcome.Curve.First(e => e.ValidationAccuracy == outcome.BestValidationAccuracy).Epoch, outcome.BestEpoch);
        Assert.True(outcome.Curve[^1].TrainLoss < outcome.Curve[0].TrainLoss, $"train loss {outcome.Curve[0].TrainLoss} → {outcome.Curve[^1].TrainLoss}");
        Assert.True(outcome.BestValidationAccuracy >= 0.8, $"best validation accuracy {outcome.BestValidationAccuracy}");
        Assert.Equal(32, outcome.TestProbabilities.Count);
        Assert.All(outcome.TestProbabilities, row => Assert.Equal(1.0, row.Sum(), 1e-9));
    }

    [Fact]
    public void EveryEpochIsLoggedAsTensorBoardEventsWithItsLossesLearningRateThroughputAndValidationAccuracy()
    {
        var outcome = Train(Settings(epochs: 3), "logged");

        var events = TensorBoardEventFile.Read(Assert.Single(Directory.GetFiles(Path.Combine(folder, "logged-cell", TensorBoardLog.Folder))));
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        List<(float, long)> Logged(string tag) => [.. events.Skip(1).Where(e => Assert.Single(e.Scalars).Tag == tag).Select(e => (e.Scalars[0].Value, e.Step))];
        Assert.Equal(outcome.Curve.Select(e => ((float)e.TrainLoss, (long)e.Epoch)), Logged(TensorBoardLog.Loss));
        Assert.Equal(outcome.Curve.Select(e => ((float)e.LearningRate, (long)e.Epoch)), Logged(TensorBoardLog.LearningRate));
        Assert.Equal(outcome.Curve.Select(e => ((float)e.ValidationLoss, (long)e.Epoch)), Logged(TensorBoardLog.ValidationLoss));
        Assert.Equal(outcome.Curve.Select(e => ((float)e.ValidationAccuracy, (long)e.Epoch)), Logged(TensorBoardLog.ValidationAccuracy));
        Assert.Equal([0L, 1L, 2L], Logged(TensorBoardLog.ImagesPerSecond).Select(s => s.Item2));
        Assert.All(Logged(TensorBoardLog.ImagesPerSecond), s => Assert.True(s.Item1 > 0 && float.IsFinite(s.Item1), $"{s.Item1} images/s"));
        Assert.Equal(1 + (5 * 3), events.Count);
    }

    [Fact]
    public void ACellsMemoryAccountCountsWeightsOncePerCopyAndTheActivationsOfOneBatch()
    {
        var settings = Settings();
        var small = FinetuneMemory.Of(settings, images: 100, imageSide: Size);
        var larger = FinetuneMemory.Of(settings with { Training = settings.Training with { BatchSize = 32 } }, images: 100, imageSide: Size);

        // ResNet18 with a 2-class head: 11,177,538 float32 parameters.
        Assert.Equal(11_177_538L * 4, small.Weights);
        Assert.Equal(small.Weights, small.Gradients);
        Assert.Equal(2 * small.Weights, small.OptimizerState);   // Adam's two moments
        Assert.True(small.Snapshot > small.Weights, "the snapshot holds the BN buffers too");
        Assert.Equal(100L * Size * Size, small.Data);
        Assert.True(small.Activations > 0, "a training forward keeps its activations");
        // Twice the batch, about twice the activations. They are a native heap delta, which also catches oneDNN's scratch
        // buffers and the allocator's rounding: 2.52 was seen in a CI run, so the band is wide, yet excludes 1 and 4.
        Assert.InRange((double)larger.Activations / small.Activations, 1.5, 3.0);
    }

    [Fact]
    public void TwoRunsWithOneSeedAreBitwiseEqual()
    {
        var first = Train(Settings(epochs: 2), "first");
        var second = Train(Settings(epochs: 2), "second");

        Assert.Equal(first.Curve, second.Curve);
        Assert.Equal(first.TestProbabilities.SelectMany(r => r), second.TestProbabilities.SelectMany(r => r));
    }

    [Fact]
    public void AFrozenTrunkMovesOnlyItsBatchNormAffineParameters()
    {
        var settings = Settings(epochs: 1, freeze: 1);
        using var random = new CellRandom(1);
        using var model = new Classifier(new ResNetOptions(settings.Arch), settings.Task.Classes, random);
        var before = model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());

        Train(settings, "frozen", model);

        var bn = model.Trunk.modules().OfType<MaskedBatchNorm2d>().SelectMany(m => m.named_parameters().Select(p => p.parameter)).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var (name, parameter) in model.named_parameters())
        {
            var moved = !parameter.eq(before[name]).all().item<bool>();
            var shouldMove = name.StartsWith("fc.", StringComparison.Ordinal) || bn.Contains(parameter);
            Assert.True(moved == shouldMove, $"{name}: moved {moved}, expected {shouldMove}");
        }
    }

    [Fact]
    public void TheSettingsAreReadBackFromAPlannedCellAsTheManifestDeclaresThem()
    {
        var manifest = ManifestLoader.Load(Path.Combine(Roots.FindRepositoryRoot(AppContext.BaseDirectory), "experiments", "paper-official-split.yaml"), MethodRegistry.Catalog);
        var cell = ExperimentGraph.Build(manifest).Cells.First(c => c.Stage == StageNames.Finetune && c.Address["task"] == "covid" && c.Address["init"] == "spark");

        var settings = FinetuneSettings.FromParameters(cell.Parameters);

        var task = manifest.Tasks["covid"];
        Assert.Equal(task, settings.Task with { Mean = task.Mean, Std = task.Std });
        Assert.Equal(task.Mean, settings.Task.Mean);
        Assert.Equal(task.Std, settings.Task.Std);
        // The inits, their files and the left-out notice are the run's, not a cell's protocol: the planner leaves them out.
        Assert.Equal(manifest.Finetune, settings.Training with { Inits = manifest.Finetune.Inits, InitFiles = manifest.Finetune.InitFiles, LeftOutInits = manifest.Finetune.LeftOutInits });
        Assert.Empty(settings.Training.InitFiles);
        Assert.Empty(settings.Training.LeftOutInits);
        Assert.Equal(("spark", manifest.Pretrain.Arch, manifest.Evaluation.Protocol, 0, 1.0), (settings.Init, settings.Arch, settings.Protocol, settings.Fold, settings.Fraction));
    }

    [Fact]
    public void AnEncoderOfAnotherArchitectureIsRefusedNamingItsFile()
    {
        var path = Path.Combine(folder, "encoder.safetensors");
        using var random = new CellRandom(1);
        using (var resnet18 = new ResNet(new ResNetOptions(ResNetOptions.ResNet18), random))
        {
            SafeTensors.Write(path, resnet18.state_dict());
        }

        using var resnet50 = new ResNet(new ResNetOptions(ResNetOptions.ResNet50), random);
        var error = Assert.Throws<DataFormatException>(() => TrunkInit.LoadEncoder(resnet50, path));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not fit a resnet50 trunk", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyValidationSetIsAUsageErrorNamingTheTaskAndFold()
    {
        using var store = SquareStore(Path.Combine(folder, "no-validation"), train: 20, validation: 0, test: 10);

        var error = Assert.Throws<UsageException>(() => FinetuneData.Load(store, Settings() with { ValidationFraction = 0 }));

        Assert.Contains("covid: the validation set of fold 0 at fraction 1.0 is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAuthorsLearningRateDropStartsTheSecondEpochAfterUnfreezing()
    {
        var defaults = Settings();
        var settings = defaults with { Training = defaults.Training with { Epochs = 70, FreezeBackboneEpochs = 10, LearningRate = 1e-4, AuthorsLearningRateDrop = true } };

        Assert.Equal(1e-4, settings.LearningRateAt(10));
        Assert.Equal(1.5e-5, settings.LearningRateAt(11), 15);
        Assert.Equal(1.5e-5, settings.LearningRateAt(69), 15);
        Assert.Equal(1e-4, (settings with { Training = settings.Training with { AuthorsLearningRateDrop = false } }).LearningRateAt(69));
        Assert.True(settings.BackboneFrozenAt(9));
        Assert.False(settings.BackboneFrozenAt(10));
    }

    [Fact]
    public void FoldsAndFractionsShrinkOnlyTheTrainingSetAndTheAuthorsOrderSwapsLabels()
    {
        using var store = SquareStore(Path.Combine(folder, "splits"), train: 40, validation: 10, test: 20);
        using var full = FinetuneData.Load(store, Settings(protocol: "kfold"));
        using var quarter = FinetuneData.Load(store, Settings(protocol: "kfold", fraction: 0.25));
        using var authors = FinetuneData.Load(store, AuthorsOrder(Settings(protocol: "kfold")));

        Assert.Equal((25, 25, 20), (full.Train.Count, full.Validation.Count, full.Test.Count));
        Assert.Equal((6, 25, 20), (quarter.Train.Count, quarter.Validation.Count, quarter.Test.Count));
        Assert.Subset(full.Train.Ids.ToHashSet(), quarter.Train.Ids.ToHashSet());
        Assert.Empty(full.Train.Ids.Intersect(full.Validation.Ids));
        Assert.Equal(full.Test.Labels.Select(l => 1 - l), authors.Test.Labels);
        Assert.Equal(full.Train.Count, full.TrainImagesPerClass.Sum());
    }
}
