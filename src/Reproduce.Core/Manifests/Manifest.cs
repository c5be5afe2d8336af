namespace Reproduce.Core.Manifests;

/// <summary>
/// A validated experiment manifest: everything that decides what is computed, and (<see cref="Slurm"/>) what a cluster's jobs ask for. Immutable; built only
/// by <see cref="ManifestLoader"/>.
/// </summary>
public sealed record Manifest
{
    /// <summary>The experiment name; rendered results go to <c>results/&lt;Experiment&gt;/</c>.</summary>
    public required string Experiment { get; init; }

    public string Title { get; init; } = "";

    /// <summary>The experiment seed every random stream derives from, with the cell key.</summary>
    public required long Seed { get; init; }

    /// <summary>The file this manifest was loaded from, then its <c>extends:</c> ancestors, nearest first.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    public required PathsSpec Paths { get; init; }

    public required IReadOnlyDictionary<string, DatasetSpec> Datasets { get; init; }

    public required IReadOnlyDictionary<string, TaskSpec> Tasks { get; init; }

    public required PretrainSpec Pretrain { get; init; }

    public required FinetuneSpec Finetune { get; init; }

    public required EvaluationSpec Evaluation { get; init; }

    /// <summary>Where this manifest knowingly departs from the study, printed in the report.</summary>
    public required IReadOnlyList<string> Deviations { get; init; }

    /// <summary>The resources of the jobs the Slurm executor submits; how cells run, so never part of a key.</summary>
    public SlurmSpec Slurm { get; init; } = SlurmSpec.None;
}
