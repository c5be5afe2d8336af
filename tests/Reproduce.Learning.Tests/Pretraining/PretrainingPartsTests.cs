using Reproduce.Core.Errors;
using Reproduce.Data.Store;
using Reproduce.Learning.Augmentations;
using Reproduce.Learning.Checkpoints;
using Reproduce.Learning.Methods;
using Reproduce.Learning.Optimization;
using Reproduce.Learning.Pretraining;
using Reproduce.Learning.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static Reproduce.Learning.Tests.TestSpecs;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Pretraining;

/// <summary>The pieces around the loop: loss curve files, checkpoints, recipes, the prefetcher and the device switch, and their errors.</summary>
public sealed class PretrainingPartsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("reproduce-pretrain-parts-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void TheLossCurveRoundTripsAndKeepsOnlyTheCheckpointedSteps()
    {
        var path = Path.Combine(folder, LossCurve.FileName);
        StepRecord[] records = [new(0, 0, 1.5, 0.1), new(1, 0.5, 1.25, 0.2), new(2, 1, 1.0 / 3, 0.3)];

        LossCurve.Write(path, records);

        Assert.Equal(records[..2], LossCurve.Read(path, completedSteps: 2));
        Assert.Equal(records, LossCurve.Read(path, completedSteps: 3));
        Assert.Empty(LossCurve.Read(Path.Combine(folder, "absent.csv"), completedSteps: 0));
    }

    [Fact]
    public void TheLossCurveIsExactlyTheseBytes()
    {
        // "\n" line endings, no byte order mark, every number round-trip: a diverged loss is NaN, as it always was.
        var path = Path.Combine(folder, LossCurve.FileName);

        LossCurve.Write(path, [new(0, 0, 1.0 / 3, 1e-7), new(1, 0.5, double.NaN, double.PositiveInfinity)]);

        Assert.Equal("step,epoch,loss,learning_rate\n0,0,0.3333333333333333,1E-07\n1,0.5,NaN,Infinity\n"u8.ToArray(), File.ReadAllBytes(path));
        Assert.True(double.IsNaN(LossCurve.Read(path, 2)[1].Loss));
    }

    [Fact]
    public void ADamagedLossCurveFailsNamingTheFileAndLine()
    {
        var path = Path.Combine(folder, LossCurve.FileName);
        File.WriteAllLines(path, ["step,epoch,loss,learning_rate", "0,0,1.5,0.1", "1,0.5,oops,0.2"]);
        var error = Assert.Throws<DataFormatException>(() => LossCurve.Read(path, 2));
        Assert.Equal(path, error.Path);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);

        File.WriteAllLines(path, ["step,epoch,loss,learning_rate", "0,0,1.5,0.1"]);
        Assert.Contains("holds 1 of the checkpoint's 2 steps", Assert.Throws<DataFormatException>(() => LossCurve.Read(path, 2)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALossCurveWithAnUnclosedQuoteFailsNamingTheFileAndLineAsEvaluationsFilesDo()
    {
        var path = Path.Combine(folder, LossCurve.FileName);
        File.WriteAllLines(path, ["step,epoch,loss,learning_rate", "0,0,1.5,0.1", "1,0.5,\"1.25,0.2"]);

        var error = Assert.Throws<DataFormatException>(() => LossCurve.Read(path, 2));

        Assert.Equal(path, error.Path);
        Assert.Contains("line 3: a quoted field is not closed on its line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNotACheckpointIsRefusedByName()
    {
        var path = Path.Combine(folder, PretrainingCheckpoint.FileName);
        SafeTensors.Write(path, new Dictionary<string, Tensor> { ["weight"] = zeros(2) });
        using var module = nn.Linear(2, 2);
        using var random = new CellRandom(1);

        var error = Assert.Throws<DataFormatException>(() => PretrainingCheckpoint.Load(path, module, _ => { }, random.Init));

        Assert.Equal(path, error.Path);
        Assert.Contains("not a pre-training checkpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWarmUpThatLeavesNoDecayIsAUsageErrorNamingTheParameter()
    {
        var spec = Spec(SparK.Descriptor, ("warmup_epochs", 2));

        var error = Assert.Throws<UsageException>(() => TrainingRecipe.WarmupSteps(spec, "warmup_epochs", stepsPerEpoch: 3, totalSteps: 6));

        Assert.Contains("spark: warmup_epochs = 2 is 6 step(s)", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, TrainingRecipe.WarmupSteps(Spec(SparK.Descriptor, ("warmup_epochs", 1)), "warmup_epochs", 3, 6));
    }

    [Fact]
    public void APerEpochScheduleChangesTheLearningRateOnlyAtEpochBoundaries()
    {
        using var parameter = new Parameter(zeros(1));
        using var sgd = new Sgd([new ParameterGroup([parameter], 1)]);
        var recipe = TrainingRecipe.Following(sgd, new MoCoCosineSchedule(1.0, Epochs: 2));

        var rates = Enumerable.Range(0, 4).Select(step => recipe.Apply(new TrainingProgress(step, 4, StepsPerEpoch: 2))).ToList();

        Assert.Equal([1.0, 1.0, 0.5, 0.5], rates.Select(r => Math.Round(r, 12)));
        Assert.Equal(0.5, sgd.Groups[0].LearningRate, 12);
    }

    [Fact]
    public void ABatchThatCannotBePreparedStopsTheRunWithTheReason()
    {
        using var images = new PretrainImages(TensorStore.Open(TinyStore.Write(Path.Combine(folder, "store"), count: 4, size: 8)));
        var plan = new EpochPlan(images.Count, 2, epochs: 1, maxSteps: 0, seed: 1);
        var views = new ViewBatcher([new ViewPipeline("broken", 8, 1, [new Broken()])], 1);
        using var prefetcher = new ViewPrefetcher(images, plan, views, seed: 1, firstStep: 0);

        var error = Assert.Throws<InvalidOperationException>(() => prefetcher.Take(CancellationToken.None));

        Assert.Equal("preparing a batch failed: the transform is broken", error.Message);
    }

    [Fact]
    public void OneAndThreePrefetchWorkersGiveIdenticalBatches()
    {
        using var images = new PretrainImages(TensorStore.Open(TinyStore.Write(Path.Combine(folder, "store"), count: 12, size: 24)));
        var plan = new EpochPlan(images.Count, 3, epochs: 2, maxSteps: 0, seed: 1);
        var views = new ViewBatcher(MethodViews.Create(Spec(MethodRegistry.Catalog.Find("swav")!), 16, 3), 1);

        List<Tensor[]> Batches(int workers)
        {
            using var prefetcher = new ViewPrefetcher(images, plan, views, seed: 7, firstStep: 1, workers: workers);
            return [.. Enumerable.Range(1, (int)plan.TotalSteps - 1).Select(_ => prefetcher.Take(CancellationToken.None))];
        }

        var one = Batches(1);
        var three = Batches(3);
        try
        {
            Assert.Equal(7, one.Count);
            Assert.All(one.Zip(three), pair => Assert.All(pair.First.Zip(pair.Second), views => Assert.True(Augmentations.AugmentationFixtures.BitIdentical(views.First, views.Second))));
        }
        finally
        {
            foreach (var tensor in one.Concat(three).SelectMany(batch => batch))
            {
                tensor.Dispose();
            }
        }
    }

    [Fact]
    public void APrefetchedBatchIsTheBatcherOnTheStoresImagesOneByOne()
    {
        var path = TinyStore.Write(Path.Combine(folder, "store"), count: 8, size: 24);
        using var images = new PretrainImages(TensorStore.Open(path));
        using var store = TensorStore.Open(path);
        var plan = new EpochPlan(images.Count, 4, epochs: 1, maxSteps: 0, seed: 1);
        var views = new ViewBatcher(MethodViews.Create(Spec(MethodRegistry.Catalog.Find("byol")!), 16, 3), 1);
        using var scope = NewDisposeScope();
        var expected = Enumerable.Range(0, 2).Select(step =>
            views.Build([.. plan.Batch(step).Select(position => tensor(store.Image(position)).reshape(1, 24, 24))], ViewPrefetcher.StepSeed(9, step))).ToList();

        using var prefetcher = new ViewPrefetcher(images, plan, views, seed: 9, firstStep: 0);
        var taken = Enumerable.Range(0, 2).Select(_ => prefetcher.Take(CancellationToken.None)).ToList();
        try
        {
            Assert.All(expected.Zip(taken), pair => Assert.All(pair.First.Zip(pair.Second), views => Assert.True(Augmentations.AugmentationFixtures.BitIdentical(views.First, views.Second))));
        }
        finally
        {
            foreach (var view in taken.SelectMany(batch => batch))
            {
                view.Dispose();
            }
        }
    }

    [Fact]
    public void AnUnknownOrMissingDeviceIsRefusedClearly()
    {
        Assert.Contains("unknown device 'tpu'", Assert.Throws<UsageException>(() => ComputeDevice.Prepare("tpu", 1)).Message, StringComparison.Ordinal);
        if (!cuda.is_available())
        {
            Assert.Contains("no CUDA device is visible", Assert.Throws<EnvironmentException>(() => ComputeDevice.Prepare("cuda", 1)).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheNativeHeapThresholdsTakeOnGlibc()
    {
        // libtorch's Linux build needs glibc, so on Linux the call must take: failing silently costs a quarter of a step.
        Assert.Equal(OperatingSystem.IsLinux(), NativeHeap.KeepFreedBuffers());
    }

    private sealed class Broken : IImageTransform
    {
        public Tensor Apply(Tensor image, SampleRandom random) => throw new ArgumentException("the transform is broken");
    }
}
