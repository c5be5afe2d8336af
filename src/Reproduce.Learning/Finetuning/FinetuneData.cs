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
        var (train, validation, test, labels) = settings.Split.Positions(store);
        return new FinetuneData(Read(store, train, labels), Read(store, validation, labels), Read(store, test, labels), settings.Task.Classes);
    }

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }

    private static FinetuneSet Read(TensorStore store, IReadOnlyList<int> positions, IReadOnlyDictionary<int, int> labels)
    {
        var pixels = new byte[(long)positions.Count * store.ImageBytes];
        for (var i = 0; i < positions.Count; i++)
        {
            store.CopyImage(positions[i], pixels.AsSpan(i * store.ImageBytes, store.ImageBytes));
        }

        var images = tensor(pixels, [positions.Count, 1, store.Height, store.Width]).DetachFromDisposeScope();
        return new FinetuneSet(
            [.. positions.Select(p => store.Items[p].Id)],
            [.. positions.Select(p => labels[p])],
            images);
    }
}

/// <summary>One set of a cell: image ids, labels and the uint8 (N, 1, H, W) pixels, in one fixed order.</summary>
public sealed record FinetuneSet(IReadOnlyList<string> Ids, IReadOnlyList<int> Labels, Tensor Images) : IDisposable
{
    public int Count => Ids.Count;

    public void Dispose() => Images.Dispose();
}
