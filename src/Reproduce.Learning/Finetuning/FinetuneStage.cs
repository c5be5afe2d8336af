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
        TrunkInit.Load(context, model.Trunk, settings.Init, settings.InitFile);

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

    private static string[] CurveRow(EpochRecord e) =>
    [
        e.Epoch.ToString(CultureInfo.InvariantCulture), CurveCsv.Number(e.LearningRate), e.BackboneFrozen ? "true" : "false",
        CurveCsv.Number(e.TrainLoss), CurveCsv.Number(e.ValidationLoss), CurveCsv.Number(e.ValidationAccuracy),
    ];
}
