using System.Text.Json.Nodes;
using Reproduce.Core.Errors;
using Reproduce.Core.Stages;
using Reproduce.Data.Datasets;
using Reproduce.Data.Dicom;
using Reproduce.Data.Store;

namespace Reproduce.Data.Preprocessing;

/// <summary>
/// Preprocesses a raw dataset into a tensor store, batch by batch: the items of a batch are decoded
/// and run through the recipe on <c>threads</c> threads, the reader arranges them (LIDC: CT only,
/// z order, duplicate positions dropped), and they are appended to the store in order. Memory is
/// bounded by one batch of store images. An unreadable item is skipped and recorded with its reason.
/// </summary>
public sealed class StoreBuilder(ImageRecipe recipe, int threads, ICellProgress progress)
{
    public BuiltStore Build(RawDataset dataset, string datasetId, JsonObject recipeParameters, string directory, CancellationToken cancellationToken)
    {
        var batches = dataset.Batches().ToList();
        var total = batches.Sum(b => b.Items.Count);
        using var writer = new TensorStoreWriter(directory, recipe.Size, recipe.Size);
        var done = 0;
        foreach (var batch in batches)
        {
            var loaded = Load(dataset, batch, writer, cancellationToken);
            foreach (var item in dataset.Arrange(loaded, (raw, reason) => writer.Skip(raw.Source, reason)))
            {
                writer.Add(item.Item.Id, item.Item.Label, item.Item.Split, item.Item.Source, item.Image);
            }

            done += batch.Items.Count;
            progress.Report(done, total, "images");
        }

        // Listing problems (missing files, non-DICOM files) are known once every batch has been listed.
        foreach (var skipped in dataset.Skipped)
        {
            writer.Skip(skipped.Source, skipped.Reason);
        }

        return new BuiltStore(writer.Complete(datasetId, dataset.Classes, recipeParameters), writer.SkippedItems);
    }

    private List<LoadedItem> Load(RawDataset dataset, RawBatch batch, TensorStoreWriter writer, CancellationToken cancellationToken)
    {
        var results = new LoadedItem?[batch.Items.Count];
        var problems = new string?[batch.Items.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellationToken };
        Parallel.For(0, batch.Items.Count, options, i =>
        {
            var item = batch.Items[i];
            try
            {
                using var source = dataset.Load(item);
                var slice = source is CtSlice ct ? SliceAttributes.From(ct.Image.Dataset) : null;
                results[i] = new LoadedItem(item, recipe.Apply(source, dataset.PathOf(item)), slice);
            }
            catch (DataFormatException e)
            {
                problems[i] = e.Offset is { } offset ? $"at byte {offset}: {e.Problem}" : e.Problem;
            }
            catch (IOException e)
            {
                problems[i] = $"unreadable: {e.Message}";
            }
        });

        var loaded = new List<LoadedItem>();
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i] is { } result)
            {
                loaded.Add(result);
            }
            else
            {
                writer.Skip(batch.Items[i].Source, problems[i]!);
            }
        }

        return loaded;
    }
}

/// <summary>A finished store: its description, and the items left out with their reasons (also in <c>skipped.csv</c>).</summary>
public sealed record BuiltStore(StoreDescription Description, IReadOnlyList<SkippedItem> Skipped);
