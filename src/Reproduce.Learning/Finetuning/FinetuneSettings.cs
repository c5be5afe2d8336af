using System.Text.Json.Nodes;

namespace Reproduce.Learning.Finetuning;

/// <summary>
/// What one finetune cell reads of its parameters (Reproduce.Core.Planning.ExperimentGraph writes them): the
/// task, the init, the split (protocol, fold, fraction) and the fine-tuning protocol (PROTOCOL.md §6).
/// </summary>
public sealed record FinetuneSettings
{
    public required string Task { get; init; }

    public required int Classes { get; init; }

    /// <summary><c>scratch</c> or the pre-training method whose encoder initialises the trunk.</summary>
    public required string Init { get; init; }

    public required string Arch { get; init; }

    public required string Protocol { get; init; }

    public required int Folds { get; init; }

    public required int Fold { get; init; }

    public required double Fraction { get; init; }

    public required double ValidationFraction { get; init; }

    public required long Seed { get; init; }

    /// <summary>The class whose F1 the tables show for a binary task (DESIGN.md §7); null for multiclass.</summary>
    public int? PositiveClass { get; init; }

    /// <summary><c>authors</c> swaps COVID's labels to the notebook's COVID = 0 (DESIGN.md §7 "Labels").</summary>
    public required string LabelOrder { get; init; }

    public required string Reduction { get; init; }

    public required IReadOnlyList<double> Mean { get; init; }

    public required IReadOnlyList<double> Std { get; init; }

    public required string Flip { get; init; }

    public required int Epochs { get; init; }

    public required int BatchSize { get; init; }

    public required string Optimizer { get; init; }

    public required double LearningRate { get; init; }

    public required double WeightDecay { get; init; }

    public required int FreezeBackboneEpochs { get; init; }

    public required bool TrainBatchNormWhileFrozen { get; init; }

    public required bool AuthorsLearningRateDrop { get; init; }

    public required int InputSize { get; init; }

    public static FinetuneSettings FromParameters(JsonObject parameters)
    {
        try
        {
            var task = parameters["task"]!.AsObject();
            var finetune = parameters["finetune"]!.AsObject();
            return new FinetuneSettings
            {
                Task = task["id"]!.GetValue<string>(),
                Classes = task["classes"]!.GetValue<int>(),
                PositiveClass = task["positive_class"]?.GetValue<int>(),
                LabelOrder = task["label_order"]!.GetValue<string>(),
                Reduction = task["reduction"]!.GetValue<string>(),
                Mean = [.. task["mean"]!.AsArray().Select(v => v!.GetValue<double>())],
                Std = [.. task["std"]!.AsArray().Select(v => v!.GetValue<double>())],
                Flip = task["flip"]!.GetValue<string>(),
                Init = parameters["init"]!.GetValue<string>(),
                Arch = parameters["arch"]!.GetValue<string>(),
                Protocol = parameters["protocol"]!.GetValue<string>(),
                Folds = parameters["folds"]!.GetValue<int>(),
                Fold = parameters["fold"]!.GetValue<int>(),
                Fraction = parameters["fraction"]!.GetValue<double>(),
                ValidationFraction = parameters["validation_fraction"]!.GetValue<double>(),
                Seed = parameters["seed"]!.GetValue<long>(),
                Epochs = finetune["epochs"]!.GetValue<int>(),
                BatchSize = finetune["batch_size"]!.GetValue<int>(),
                Optimizer = finetune["optimizer"]!.GetValue<string>(),
                LearningRate = finetune["learning_rate"]!.GetValue<double>(),
                WeightDecay = finetune["weight_decay"]!.GetValue<double>(),
                FreezeBackboneEpochs = finetune["freeze_backbone_epochs"]!.GetValue<int>(),
                TrainBatchNormWhileFrozen = finetune["train_batch_norm_while_frozen"]!.GetValue<bool>(),
                AuthorsLearningRateDrop = finetune["authors_learning_rate_drop"]!.GetValue<bool>(),
                InputSize = finetune["input_size"]!.GetValue<int>(),
            };
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException)
        {
            // The planner writes these parameters; a gap means planner and stage disagree, not a user error.
            throw new InvalidOperationException($"finetune cell parameters are incomplete or mistyped ({e.Message}): the planner and the finetune stage disagree; rebuild", e);
        }
    }

    /// <summary>
    /// The learning rate of epoch <paramref name="epoch"/>: constant (no scheduler, PROTOCOL.md §6), or with the
    /// authors' quirk the Lightning BackboneFinetuning rewrite from the second epoch after unfreezing on:
    /// 1.5 × (0.1 × lr), e.g. 1e-4 → 1.5e-5 from epoch 11 with the backbone unfrozen at 10.
    /// </summary>
    public double LearningRateAt(int epoch) =>
        AuthorsLearningRateDrop && FreezeBackboneEpochs > 0 && epoch > FreezeBackboneEpochs ? LearningRate * 0.1 * 1.5 : LearningRate;

    public bool BackboneFrozenAt(int epoch) => epoch < FreezeBackboneEpochs;
}
