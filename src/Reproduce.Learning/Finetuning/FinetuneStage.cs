using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Data.Store;
using Reproduce.Evaluation.Aggregation;
using Reproduce.Evaluation.Metrics;
using Reproduce.Learning.Checkpoints;
using Reproduce.Learning.Models;
using Reproduce.Learning.Pretraining;
using Reproduce.Learning.Runtime;
using TorchSharp;

namespace Reproduce.Learning.Finetuning;

/// <summary>
/// The finetune stage: one cell per task × init × fold × training fraction (DESIGN.md §1). Builds the classifier
/// from the init's pre-trained encoder (or a fresh trunk for <c>scratch</c>), fine-tunes it on the cell's
/// training set (<see cref="FinetuneRun"/>), and publishes the selected model's per-image test predictions
/// (<c>predictions.csv</c>, the schema <c>reproduce metrics</c> reads), the metrics and set sizes
/// (<c>metrics.json</c>, what the aggregate stage reads) and the training curve (<c>curve.csv</c>); every epoch is also
/// logged for TensorBoard (<see cref="TensorBoardLog"/>, in <c>tensorboard/</c>).
/// </summary>
public sealed class FinetuneStage : IStage
{
    public const string PredictionsFile = "predictions.csv";
    public const string CurveFile = "curve.csv";

    /// <summary>A file init's cell: which tensors of the file were loaded, and which keys were missing or unexpected.</summary>
    public const string InitReportFile = "init.json";

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    private static readonly string[] CurveColumns = ["epoch", "learning_rate", "backbone_frozen", "train_loss", "validation_loss", "validation_accuracy"];

    public StageDescriptor Descriptor { get; } = new(StageNames.Finetune, Version: 3, UsesTorch: true);

    public Task<StageResult> RunAsync(CellContext context, CancellationToken cancellationToken)
    {
        var settings = FinetuneSettings.FromParameters(context.Parameters);
        var device = ComputeDevice.Prepare(context.Settings.Device, context.Settings.Threads);
        using var random = new CellRandom(context.Seed("torch"));
        using var store = TensorStore.Open(context.UpstreamOf(StageNames.Preprocess).Directory);
        using var data = FinetuneData.Load(store, settings);
        var workload = new TrunkWorkload(settings.Arch, [(int)data.Train.Images.shape[^1]], settings.Training.BatchSize);
        if (ConvolutionCrashGuard.Guard(device, workload, context.Settings.Threads, context.Settings.Reproduce) is { } note)
        {
            context.Progress.Message(note);
        }

        using var model = new Classifier(new ResNetOptions(settings.Arch, PretrainStage.InputChannels), settings.Task.Classes, random);
        if (settings.InitFile is { } initFile)
        {
            LoadInitFile(context, model.Trunk, initFile);
        }
        else if (settings.Init != Identifiers.Scratch)
        {
            LoadEncoder(model.Trunk, Path.Combine(context.UpstreamOf(StageNames.Pretrain).Directory, PretrainStage.EncoderFile));
        }

        // After the weights are in and before the optimizer exists: moving a module replaces its parameters.
        model.to(device);
        var log = new TensorBoardLog(context.WorkDirectory, context.Clock);
        var outcome = new FinetuneRun(model, settings, data, device, context.Seed("batches")).Run(log, context.Progress, cancellationToken);

        var predictions = new Predictions(settings.Task.Classes, [.. data.Test.Ids.Select((id, i) => new Prediction(id, data.Test.Labels[i], outcome.TestProbabilities[i]))]);
        var metrics = ClassificationMetrics.Compute(predictions, settings.Task.PositiveClass ?? ClassificationMetrics.DefaultPositiveClass);
        var result = new CellResult(
            settings.Task.Id, settings.Init, settings.Fold, settings.Fraction, settings.Task.Classes,
            data.Train.Count, data.TrainImagesPerClass, outcome.BestEpoch, outcome.BestValidationAccuracy, metrics.FlatValues());

        PredictionsCsv.Write(Path.Combine(context.WorkDirectory, PredictionsFile), predictions);
        File.WriteAllText(Path.Combine(context.WorkDirectory, CellResultJson.FileName), CellResultJson.ToText(result));
        File.WriteAllBytes(Path.Combine(context.WorkDirectory, CurveFile), CurveCsv.Bytes(CurveColumns, outcome.Curve.Select(CurveRow)));

        // meta.json's metrics: the test metrics as metrics.json holds them, and the selected epoch's validation accuracy.
        var headline = CellResultJson.ToJson(result)["test"]!.DeepClone().AsObject();
        headline["validation_accuracy"] = outcome.BestValidationAccuracy;
        return Task.FromResult(new StageResult(headline, new JsonObject
        {
            ["best_epoch"] = outcome.BestEpoch,
            ["train_images"] = data.Train.Count,
            ["validation_images"] = data.Validation.Count,
            ["test_images"] = data.Test.Count,
            ["device"] = context.Settings.Device,
        }));
    }

    /// <summary>
    /// The pretrain cell's trunk into <paramref name="trunk"/>, strictly: the encoder file holds exactly the trunk's
    /// tensors in torchvision names (no fc), so any missing or extra name means an encoder of another architecture.
    /// </summary>
    internal static void LoadEncoder(ResNet trunk, string path)
    {
        var (tensors, metadata) = SafeTensors.Read(path);
        try
        {
            if (metadata.TryGetValue("arch", out var arch) && arch != trunk.Options.Arch)
            {
                throw new DataFormatException(path, $"the encoder is a {arch}, but this fine-tuning builds a {trunk.Options.Arch}");
            }

            var expected = trunk.state_dict();
            var missing = expected.Keys.Except(tensors.Keys).ToList();
            var extra = tensors.Keys.Except(expected.Keys).ToList();
            var misshapen = expected.Keys.Intersect(tensors.Keys).Where(k => !expected[k].shape.SequenceEqual(tensors[k].shape)).ToList();
            if (missing.Count + extra.Count + misshapen.Count > 0)
            {
                throw new DataFormatException(path, $"the encoder does not fit a {trunk.Options.Arch} trunk: missing [{string.Join(", ", missing.Take(5))}], unexpected [{string.Join(", ", extra.Take(5))}], other shape [{string.Join(", ", misshapen.Take(5))}]");
            }

            trunk.load_state_dict(tensors);
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>
    /// A file init into <paramref name="trunk"/>: the file must still be the one the cell's key names (its SHA-256), so a
    /// cached result never stands for weights it was not computed from.
    /// </summary>
    private static void LoadInitFile(CellContext context, ResNet trunk, InitFileIdentity identity)
    {
        var configured = ExperimentGraph.ReadRecord<ConfiguredPath>(context.Locations[ExperimentGraph.InitFileLocation]);
        var path = configured.Require($"init '{context.Parameters["init"]}'s file");
        if (!File.Exists(path))
        {
            throw new EnvironmentException($"init '{context.Parameters["init"]}'s file '{path}' does not exist");
        }

        string sha256;
        using (var stream = File.OpenRead(path))
        {
            sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        if (sha256 != identity.Sha256)
        {
            throw new EnvironmentException($"'{path}' changed after planning (SHA-256 {sha256}, the cell's key has {identity.Sha256}); plan and run again");
        }

        var report = ExternalInit.Load(trunk, path, identity.PrefixMap);
        context.Progress.Message(report.Summary());
        File.WriteAllText(Path.Combine(context.WorkDirectory, InitReportFile), report.ToJson(sha256).ToJsonString(IndentedJson));
    }

    private static string[] CurveRow(EpochRecord e) =>
    [
        e.Epoch.ToString(CultureInfo.InvariantCulture), CurveCsv.Number(e.LearningRate), e.BackboneFrozen ? "true" : "false",
        CurveCsv.Number(e.TrainLoss), CurveCsv.Number(e.ValidationLoss), CurveCsv.Number(e.ValidationAccuracy),
    ];
}
