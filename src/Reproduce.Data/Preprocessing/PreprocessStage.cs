using System.Text.Json.Nodes;
using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;
using Reproduce.Data.Datasets;

namespace Reproduce.Data.Preprocessing;

/// <summary>
/// The preprocess stage: one cell per dataset. Reads the raw files the download cell located, runs
/// them through the dataset's recipe into a tensor store in the cell, and records every skipped
/// item with its reason. A store with no images, or a labelled dataset left without training or
/// test images, fails the cell. The recipe comes from the cell's parameters, the dataset's reader from the
/// upstream download cell's key document.
/// </summary>
public sealed class PreprocessStage : IStage
{
    // 2: gray levels are computed with one fused multiply–add (a level exactly at a rounding boundary may move by one).
    public StageDescriptor Descriptor { get; } = new(StageNames.Preprocess, Version: 2);

    public Task<StageResult> RunAsync(CellContext context, CancellationToken cancellationToken)
    {
        var download = context.UpstreamOf(StageNames.Download);
        var components = download.Meta.Components;
        var dataset = DownloadCell.Source(JsonNode.Parse(components.ParametersJson)!.AsObject(), JsonNode.Parse(components.InputsJson)!.AsObject(), []);
        var recipe = ExperimentGraph.ReadRecord<PreprocessSpec>(context.Parameters);
        var directory = RawLocation.Read(download.Directory).Resolve(download.Directory, context.Roots);
        if (!Directory.Exists(directory))
        {
            throw new EnvironmentException($"dataset '{dataset.Id}': its raw files at {directory} are gone; fetch them again with 'reproduce run --only download --dataset {dataset.Id} --force'");
        }

        var raw = RawDataset.Open(dataset, directory);
        var builder = new StoreBuilder(ImageRecipe.Create(recipe), context.Settings.Threads, context.Progress);
        var (store, skipped) = builder.Build(raw, dataset.Id, context.Parameters.DeepClone().AsObject(), context.WorkDirectory, cancellationToken);
        // Validation may be empty (Brain has none: the protocol draws it from train); unlabelled data is all train.
        string[] required = raw.Classes.Count > 0 ? ["train", "test"] : ["train"];
        var empty = required.Where(split => store.Splits[split] == 0).ToList();
        if (empty.Count > 0)
        {
            // The work directory is discarded with the failed cell, so the reasons travel in the message.
            var reasons = string.Join("; ", skipped.Take(3).Select(s => $"{s.Source}: {s.Reason}"));
            throw new DataFormatException(directory, $"no {string.Join(" or ", empty)} images are left after skipping {store.Skipped} item(s){(reasons.Length > 0 ? $", e.g. {reasons}" : "")}");
        }

        if (store.Skipped > 0)
        {
            context.Progress.Message($"{store.Skipped} item(s) skipped, each with its reason in skipped.csv");
        }

        var splits = new JsonObject(store.Splits.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value)));
        return Task.FromResult(new StageResult(
            new JsonObject { ["images"] = store.Count, ["skipped"] = store.Skipped },
            new JsonObject { ["splits"] = splits, ["size"] = store.Height, ["images_sha256"] = store.ImagesSha256 }));
    }
}
