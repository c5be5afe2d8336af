using System.Text.Json;
using System.Text.Json.Nodes;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;

namespace Reproduce.Learning.Finetuning;

/// <summary>
/// What one finetune cell reads of its parameters, which Reproduce.Core.Planning.ExperimentGraph writes: the task
/// and the fine-tuning protocol as the manifest declares them (PROTOCOL.md §6), the init, and the split (protocol,
/// fold, fraction).
/// </summary>
public sealed record FinetuneSettings(
    TaskSpec Task,
    FinetuneSpec Training,
    string Init,
    string Arch,
    string Protocol,
    int Folds,
    int Fold,
    double Fraction,
    double ValidationFraction,
    long Seed,
    InitFileIdentity? InitFile = null)
{
    public static FinetuneSettings FromParameters(JsonObject parameters)
    {
        try
        {
            // The planner leaves the inits out of a cell's protocol (another init list must not re-key it).
            var training = parameters["finetune"]!.DeepClone().AsObject();
            training["inits"] = new JsonArray();
            return new FinetuneSettings(
                ExperimentGraph.ReadRecord<TaskSpec>(parameters["task"]),
                ExperimentGraph.ReadRecord<FinetuneSpec>(training),
                parameters["init"]!.GetValue<string>(),
                parameters["arch"]!.GetValue<string>(),
                parameters["protocol"]!.GetValue<string>(),
                parameters["folds"]!.GetValue<int>(),
                parameters["fold"]!.GetValue<int>(),
                parameters["fraction"]!.GetValue<double>(),
                parameters["validation_fraction"]!.GetValue<double>(),
                parameters["seed"]!.GetValue<long>(),
                parameters[ExperimentGraph.InitFileParameter] is JsonObject file ? InitFileIdentity.FromJson(file) : null);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or JsonException)
        {
            // A gap here means the planner and this stage disagree, not a user error.
            throw new InvalidOperationException($"finetune cell parameters are incomplete or mistyped ({e.Message}): the planner and the finetune stage disagree", e);
        }
    }

    /// <summary>
    /// The learning rate of epoch <paramref name="epoch"/>: constant (no scheduler, PROTOCOL.md §6), or with the
    /// authors' quirk the Lightning BackboneFinetuning rewrite from the second epoch after unfreezing on:
    /// 1.5 × (0.1 × lr), e.g. 1e-4 → 1.5e-5 from epoch 11 with the backbone unfrozen at 10.
    /// </summary>
    public double LearningRateAt(int epoch) =>
        Training.AuthorsLearningRateDrop && Training.FreezeBackboneEpochs > 0 && epoch > Training.FreezeBackboneEpochs
            ? Training.LearningRate * 0.1 * 1.5
            : Training.LearningRate;

    public bool BackboneFrozenAt(int epoch) => epoch < Training.FreezeBackboneEpochs;

    /// <summary>The cell's images: its fold of the task, the training set reduced to its fraction.</summary>
    public TaskSplit Split => new(Task, Protocol, Folds, Fold, Fraction, ValidationFraction, Seed);
}

/// <summary>What a file init's cell key holds of its file (ExperimentGraph writes it): the SHA-256 and the prefix map.</summary>
public sealed record InitFileIdentity(string Sha256, IReadOnlyList<KeyValuePair<string, string>> PrefixMap)
{
    public static InitFileIdentity FromJson(JsonObject json) => new(
        json["sha256"]!.GetValue<string>(),
        [.. json["prefix_map"]!.AsArray().Select(p => KeyValuePair.Create(p![0]!.GetValue<string>(), p[1]!.GetValue<string>()))]);
}
