using Reproduce.Core.Errors;
using Reproduce.Core.Planning;
using Reproduce.Data.Splits;
using Reproduce.Data.Store;
using static TorchSharp.torch;

namespace Reproduce.Learning.Finetuning;

/// <summary>
/// A finetune cell's images: the task's store split by the evaluation protocol (DESIGN.md §7), the training set
/// reduced to the cell's fraction, and each set held as one uint8 (N, 1, H, W) tensor with its labels, since
/// the downstream sets are small (COVID-CT at 224 px is 37 MB) and every epoch reads all of them.
/// </summary>
public sealed class FinetuneData : IDisposable
{
    private FinetuneData(FinetuneSet train, FinetuneSet validation, FinetuneSet test, int classes)
    {
        Train = train;
        Validation = validation;
        Test = test;
        TrainImagesPerClass = [.. Enumerable.Range(0, classes).Select(c => train.Labels.Count(l => l == c))];
    }

    public FinetuneSet Train { get; }

    public FinetuneSet Validation { get; }

    public FinetuneSet Test { get; }

    public IReadOnlyList<int> TrainImagesPerClass { get; }

    public static FinetuneData Load(TensorStore store, FinetuneSettings settings)
    {
        var items = store.SplitItems().Select(i => i with { Label = MapLabel(i.Label, settings) }).ToList();
        var sets = settings.Protocol == "kfold"
            ? EvaluationSplits.KFold(items, settings.Folds, settings.Fold, settings.Seed)
            : EvaluationSplits.Official(items, settings.ValidationFraction, settings.Seed);
        var byIndex = items.ToDictionary(i => i.Index);
        var train = EvaluationSplits.Reduce([.. sets.Train.Select(i => byIndex[i])], settings.Fraction, EvaluationSplits.ParseMode(settings.Task.Reduction), settings.Seed, settings.Fold);
        foreach (var (name, indices) in new[] { ("training", train), ("validation", sets.Validation), ("test", sets.Test) })
        {
            if (indices.Count == 0)
            {
                throw new UsageException($"{settings.Task.Id}: the {name} set of fold {settings.Fold} at fraction {ExperimentGraph.FormatFraction(settings.Fraction)} is empty; use more images, fewer folds or a larger fraction");
            }
        }

        return new FinetuneData(Read(store, train, byIndex), Read(store, sets.Validation, byIndex), Read(store, sets.Test, byIndex), settings.Task.Classes);
    }

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }

    /// <summary>Stores keep the disease as label 1; the authors' COVID order puts COVID at 0 (DESIGN.md §7 "Labels").</summary>
    private static int MapLabel(int label, FinetuneSettings settings) =>
        settings.Task.LabelOrder == "authors" ? settings.Task.Classes - 1 - label : label;

    private static FinetuneSet Read(TensorStore store, IReadOnlyList<int> positions, Dictionary<int, SplitItem> items)
    {
        var pixels = new byte[(long)positions.Count * store.ImageBytes];
        for (var i = 0; i < positions.Count; i++)
        {
            store.CopyImage(positions[i], pixels.AsSpan(i * store.ImageBytes, store.ImageBytes));
        }

        var images = tensor(pixels, [positions.Count, 1, store.Height, store.Width]).DetachFromDisposeScope();
        return new FinetuneSet(
            [.. positions.Select(p => store.Items[p].Id)],
            [.. positions.Select(p => items[p].Label)],
            images);
    }
}

/// <summary>One set of a cell: image ids, labels and the uint8 (N, 1, H, W) pixels, in one fixed order.</summary>
public sealed record FinetuneSet(IReadOnlyList<string> Ids, IReadOnlyList<int> Labels, Tensor Images) : IDisposable
{
    public int Count => Ids.Count;

    public void Dispose() => Images.Dispose();
}
