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
using Reproduce.Learning.Finetuning;
using Reproduce.Learning.Runtime;
using static TorchSharp.torch;

namespace Reproduce.Learning.Probing;

/// <summary>
/// The probe stage: one cell per task × init × protocol × fold × fraction. Splits the task's images exactly as the
/// finetune cell of the same coordinates does (<see cref="TaskSplit"/>), takes their rows of the init's features, and
/// fits a <see cref="LinearProbe"/> (<c>linear_probe</c>) or votes with a <see cref="WeightedKnn"/> (<c>knn</c>) on the
/// training rows. Publishes what a finetune cell publishes, so aggregation reads both alike: the test predictions
/// (<c>predictions.csv</c>), <c>metrics.json</c> (the validation accuracy in place of a selected epoch's), and
/// <c>probe.json</c> with what was chosen (the linear probe's penalty and every candidate's validation result).
/// </summary>
public sealed class ProbeStage : IStage
{
    public const string ProbeFile = "probe.json";

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    public StageDescriptor Descriptor { get; } = new(StageNames.Probe, Version: 1, UsesTorch: true);

    public Task<StageResult> RunAsync(CellContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var task = ExperimentGraph.ReadRecord<TaskSpec>(parameters["task"]);
        var init = parameters["init"]!.GetValue<string>();
        var protocol = parameters["protocol"]!.GetValue<string>();
        var fold = parameters["fold"]!.GetValue<int>();
        var fraction = parameters["fraction"]!.GetValue<double>();
        var split = new TaskSplit(
            task, parameters["split"]!.GetValue<string>(), parameters["folds"]!.GetValue<int>(), fold, fraction,
            parameters["validation_fraction"]!.GetValue<double>(), parameters["seed"]!.GetValue<long>());

        // A probe is a few matrix products on features that already exist: the CPU, whatever device the trunk ran on.
        ComputeDevice.Prepare("cpu", context.Settings.Threads);
        using var scope = NewDisposeScope();
        using var store = TensorStore.Open(context.UpstreamOf(StageNames.Preprocess).Directory);
        var (train, validation, test, labels) = split.Positions(store);
        var featuresPath = Path.Combine(context.UpstreamOf(StageNames.Features).Directory, FeaturesStage.FeaturesFile);
        var (tensors, _) = SafeTensors.Read(featuresPath);
        var features = tensors.TryGetValue(FeaturesStage.FeaturesTensor, out var found) && found.dim() == 2 && found.shape[0] == store.Count
            ? found
            : throw new DataFormatException(featuresPath, $"holds no ({store.Count}, D) tensor '{FeaturesStage.FeaturesTensor}' for the store's {store.Count} images");
        Tensor Rows(IReadOnlyList<int> positions) => features.index_select(0, tensor(positions.Select(p => (long)p).ToArray()));
        Tensor Labels(IReadOnlyList<int> positions) => tensor(positions.Select(p => (long)labels[p]).ToArray());

        Tensor testProbabilities;
        double validationAccuracy;
        var details = new JsonObject { ["protocol"] = protocol };
        if (protocol == Identifiers.LinearProbe)
        {
            var result = LinearProbe.Run(Rows(train), Labels(train), Rows(validation), Labels(validation), Rows(test), task.Classes);
            testProbabilities = result.TestProbabilities;
            validationAccuracy = result.Candidates.Single(c => c.Penalty == result.Penalty).ValidationAccuracy;
            details["penalty"] = result.Penalty;
            details["candidates"] = new JsonArray([.. result.Candidates.Select(c => (JsonNode?)new JsonObject
            {
                ["penalty"] = c.Penalty,
                ["validation_accuracy"] = c.ValidationAccuracy,
                ["validation_loss"] = c.ValidationLoss,
                ["iterations"] = c.Iterations,
            })]);
        }
        else if (protocol == Identifiers.Knn)
        {
            var neighbours = parameters["neighbours"]!.GetValue<int>();
            var temperature = parameters["temperature"]!.GetValue<double>();
            testProbabilities = WeightedKnn.Probabilities(Rows(train), Labels(train), Rows(test), task.Classes, neighbours, temperature);
            var onValidation = WeightedKnn.Probabilities(Rows(train), Labels(train), Rows(validation), task.Classes, neighbours, temperature);
            validationAccuracy = onValidation.argmax(1).eq(Labels(validation)).to_type(ScalarType.Float64).mean().item<double>();
            details["neighbours"] = neighbours;
            details["temperature"] = temperature;
        }
        else
        {
            throw new InvalidOperationException($"probe protocol '{protocol}' is not one of {Identifiers.LinearProbe}, {Identifiers.Knn}: the planner and the probe stage disagree");
        }

        var probabilities = testProbabilities.to_type(ScalarType.Float64).data<double>().ToArray();
        var predictions = new Predictions(task.Classes, [.. test.Select((position, i) => new Prediction(
            store.Items[position].Id, labels[position], probabilities.AsSpan(i * task.Classes, task.Classes).ToArray()))]);
        var metrics = ClassificationMetrics.Compute(predictions, task.PositiveClass ?? ClassificationMetrics.DefaultPositiveClass);
        var perClass = Enumerable.Range(0, task.Classes).Select(c => train.Count(p => labels[p] == c)).ToList();
        var cell = new CellResult(task.Id, init, fold, fraction, task.Classes, train.Count, perClass, BestEpoch: 0, validationAccuracy, metrics.FlatValues());

        PredictionsCsv.Write(Path.Combine(context.WorkDirectory, FinetuneStage.PredictionsFile), predictions);
        File.WriteAllText(Path.Combine(context.WorkDirectory, CellResultJson.FileName), CellResultJson.ToText(cell));
        File.WriteAllText(Path.Combine(context.WorkDirectory, ProbeFile), details.ToJsonString(IndentedJson));

        var headline = CellResultJson.ToJson(cell)["test"]!.DeepClone().AsObject();
        headline["validation_accuracy"] = validationAccuracy;
        return Task.FromResult(new StageResult(headline, new JsonObject
        {
            ["train_images"] = train.Count,
            ["validation_images"] = validation.Count,
            ["test_images"] = test.Count,
        }));
    }
}
