namespace Reproduce.Core.Manifests;

/// <summary>The fine-tuning protocol (PROTOCOL.md §6) and the inits it compares.</summary>
public sealed record FinetuneSpec
{
    /// <summary><c>scratch</c> and/or pre-training method ids; every method id must be in <c>pretrain.methods</c>.</summary>
    public required IReadOnlyList<string> Inits { get; init; }

    public required int Epochs { get; init; }

    public required int BatchSize { get; init; }

    public required string Optimizer { get; init; }

    public required double LearningRate { get; init; }

    public required double WeightDecay { get; init; }

    /// <summary>Epochs at the start during which the backbone is frozen (BN affine parameters still train).</summary>
    public required int FreezeBackboneEpochs { get; init; }

    public required bool TrainBatchNormWhileFrozen { get; init; }

    /// <summary>The authors' quirk: the learning rate drops to 1.5e-5 after unfreezing (PROTOCOL.md §6).</summary>
    public required bool AuthorsLearningRateDrop { get; init; }

    public required int InputSize { get; init; }
}
