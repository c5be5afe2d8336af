using System.Text.Json.Serialization;

namespace Reproduce.Core.Manifests;

/// <summary>The fine-tuning protocol (PROTOCOL.md §6) and the inits it compares.</summary>
public sealed record FinetuneSpec
{
    /// <summary>
    /// The inits the run compares, in the manifest's order: <c>scratch</c>, pre-training method ids (each in
    /// <c>pretrain.methods</c>) and the ids of <see cref="InitFiles"/>, less the optional ones left out.
    /// </summary>
    public required IReadOnlyList<string> Inits { get; init; }

    /// <summary>The inits of <see cref="Inits"/> read from a weights file, by id. Not a training setting: never in a cell's protocol.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, InitFileSpec> InitFiles { get; init; } = new Dictionary<string, InitFileSpec>();

    /// <summary>Optional file inits the manifest lists but this run leaves out, with why (an unset variable).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> LeftOutInits { get; init; } = [];

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
