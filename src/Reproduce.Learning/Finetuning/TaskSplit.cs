using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Data.Splits;
using Reproduce.Data.Store;

namespace Reproduce.Learning.Finetuning;

/// <summary>
/// Which of a task's stored images a cell trains, validates and tests on: the evaluation protocol's fold (DESIGN.md §7)
/// with the training set reduced to the cell's fraction. Fine-tuning and the probes split alike, so an init's fine-tuned
/// and probed scores come from the same images.
/// </summary>
public sealed record TaskSplit(TaskSpec Task, string Protocol, int Folds, int Fold, double Fraction, double ValidationFraction, long Seed)
{
    /// <summary>Store positions of each set, in a fixed order, and every item's label in the task's label order.</summary>
    public (IReadOnlyList<int> Train, IReadOnlyList<int> Validation, IReadOnlyList<int> Test, IReadOnlyDictionary<int, int> Labels) Positions(TensorStore store)
    {
        var items = store.SplitItems().Select(i => i with { Label = MapLabel(i.Label) }).ToList();
        var sets = Protocol == "kfold"
            ? EvaluationSplits.KFold(items, Folds, Fold, Seed)
            : EvaluationSplits.Official(items, ValidationFraction, Seed);
        var byIndex = items.ToDictionary(i => i.Index);
        var train = EvaluationSplits.Reduce([.. sets.Train.Select(i => byIndex[i])], Fraction, EvaluationSplits.ParseMode(Task.Reduction), Seed, Fold);
        foreach (var (name, indices) in new[] { ("training", train), ("validation", sets.Validation), ("test", sets.Test) })
        {
            if (indices.Count == 0)
            {
                throw new UsageException($"{Task.Id}: the {name} set of fold {Fold} at fraction {ExperimentGraph.FormatFraction(Fraction)} is empty; use more images, fewer folds or a larger fraction");
            }
        }

        return (train, sets.Validation, sets.Test, byIndex.ToDictionary(p => p.Key, p => p.Value.Label));
    }

    /// <summary>Stores keep the disease as label 1; the authors' COVID order puts COVID at 0 (DESIGN.md §7 "Labels").</summary>
    private int MapLabel(int label) => Task.LabelOrder == "authors" ? Task.Classes - 1 - label : label;
}
