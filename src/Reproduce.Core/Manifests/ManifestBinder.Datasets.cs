using Reproduce.Core.Errors;

namespace Reproduce.Core.Manifests;

internal sealed partial class ManifestBinder
{
    private Dictionary<string, DatasetSpec>? BindDatasets(NodeReader? map)
    {
        if (map is null)
        {
            return null;
        }

        var datasets = new Dictionary<string, DatasetSpec>();
        foreach (var id in map.Keys.ToList())
        {
            var entry = map.Take(id)!;
            if (!Identifiers.Datasets.Contains(id))
            {
                map.Error(entry.KeyAt, $"unknown dataset '{id}' (known datasets: {string.Join(", ", Identifiers.Datasets)})");
                continue;
            }

            declaredDatasets.Add(id);
            if (BindDataset(id, map.MapOrEmpty(entry, $"datasets.{id}")) is { } dataset)
            {
                datasets[id] = dataset;
            }
        }

        return datasets;
    }

    private static DatasetSpec? BindDataset(string id, NodeReader map)
    {
        var source = map.String("source", required: true, choices: Identifiers.SourcesByDataset[id]);
        var url = map.String("url");
        var collection = map.String("collection");
        var version = map.String("version");
        var imageSize = map.Integer("image_size", 1, 4096);
        var path = map.PathSetting("path");
        var synthetic = BindSynthetic(id, map.Map("synthetic"));
        var preprocess = BindPreprocess(id, map.Map("preprocess", required: true));

        RequireFor(map, source, "synthetic", ["synthetic"], ["url", "collection", "version", "image_size", "path"]);
        RequireFor(map, source, "nbia", ["collection"], ["synthetic", "image_size", "path"]);
        RequireFor(map, source, "github", ["version"], ["synthetic", "collection", "image_size", "path"]);
        RequireFor(map, source, "zenodo", ["version", "image_size"], ["synthetic", "collection", "path"]);
        RequireFor(map, source, "local", ["path"], ["synthetic", "url", "collection", "image_size"]);
        RequireFor(map, source, "kaggle", [], ["synthetic", "collection", "image_size"]);
        foreach (var (setting, value) in new[] { ("version", version), ("collection", collection) })
        {
            if (value is not null && !Identifiers.IsFolderName(value))
            {
                map.Error(map.Take(setting)!.Value.At, $"'{map.Path}.{setting}' is {Quoted.Bounded(value)}: it names the dataset's data folder, so it must be {Identifiers.FolderNameRule} (pin a branch whose name has a '/' by its commit)");
            }
        }

        if (source == "zenodo" && version is not null && version is not ("v2" or "v3"))
        {
            map.Error(map.Take("version")!.Value.At, $"'{map.Path}.version' is {Quoted.Bounded(version)}, expected v2 or v3 (MedMNIST file version)");
        }

        if (source == "zenodo" && imageSize is not null && imageSize is not (28 or 64 or 128 or 224))
        {
            map.Error(map.Take("image_size")!.Value.At, $"'{map.Path}.image_size' is {imageSize}, expected 28, 64, 128 or 224");
        }
        else if (source == "zenodo" && version == "v2" && imageSize is not (null or 28))
        {
            map.Error(map.Take("image_size")!.Value.At, $"'{map.Path}.image_size' is {imageSize}, but MedMNIST v2 was published at 28 px only: use version v3 for larger images");
        }

        map.RejectUnknownKeys();
        if (source is null || preprocess is null || (source == Identifiers.Synthetic && synthetic is null))
        {
            return null;
        }

        return new DatasetSpec
        {
            Id = id,
            Source = source,
            Url = url,
            Collection = collection,
            Version = version,
            ImageSize = (int?)imageSize,
            Path = path,
            Synthetic = synthetic,
            Preprocess = preprocess,
        };
    }

    /// <summary>For one source: the keys it needs, and the keys that make no sense with it.</summary>
    private static void RequireFor(NodeReader map, string? source, string forSource, string[] required, string[] forbidden)
    {
        if (source != forSource)
        {
            return;
        }

        foreach (var key in required.Where(k => !map.Has(k)))
        {
            map.Error(map.At, $"'{map.Path}' with source '{source}' needs '{key}'");
        }

        foreach (var key in forbidden.Where(map.Has))
        {
            map.Error(map.Take(key)!.KeyAt, $"'{map.Path}.{key}' does not apply to source '{source}'");
        }
    }

    private static SyntheticSpec? BindSynthetic(string id, NodeReader? map)
    {
        if (map is null)
        {
            return null;
        }

        var size = map.Integer("size", 16, 1024, required: true);
        var series = map.Integer("series", 1, 100_000);
        var slices = map.Integer("slices_per_series", 1, 10_000);
        var train = map.Integer("train", 2, 10_000_000);
        var validation = map.Integer("validation", 0, 10_000_000);
        var test = map.Integer("test", 2, 10_000_000);
        var (needed, unwanted) = id == Identifiers.Lidc
            ? (new[] { "series", "slices_per_series" }, new[] { "train", "validation", "test" })
            : (["train", "validation", "test"], ["series", "slices_per_series"]);
        foreach (var key in needed.Where(k => !map.Has(k)))
        {
            map.Error(map.At, $"'{map.Path}' needs '{key}'");
        }

        foreach (var key in unwanted.Where(map.Has))
        {
            map.Error(map.Take(key)!.KeyAt, $"'{map.Path}.{key}' does not apply to dataset '{id}'");
        }

        map.RejectUnknownKeys();
        return size is null ? null : new SyntheticSpec
        {
            Size = (int)size,
            Series = (int?)series,
            SlicesPerSeries = (int?)slices,
            Train = (int?)train,
            Validation = (int?)validation,
            Test = (int?)test,
        };
    }

    private static PreprocessSpec? BindPreprocess(string id, NodeReader? map)
    {
        if (map is null)
        {
            return null;
        }

        var recipe = map.String("recipe", required: true, choices: Identifiers.PreprocessRecipes);
        var size = map.Integer("size", 16, 4096, required: true);
        var level = map.Real("window_level", -4096, 4096);
        var width = map.Real("window_width", 1, 16384);
        if (recipe == "window" && (level is null || width is null))
        {
            map.Error(map.At, $"'{map.Path}' with recipe 'window' needs 'window_level' and 'window_width'");
        }

        if (recipe != "window" && (map.Has("window_level") || map.Has("window_width")))
        {
            map.Error(map.At, $"'{map.Path}': window_level/window_width apply only to recipe 'window'");
        }

        var isCt = id == Identifiers.Lidc;
        if (recipe is "authors" or "window" && !isCt)
        {
            map.Error(map.Take("recipe")!.Value.At, $"'{map.Path}.recipe' '{recipe}' needs HU input (DICOM); dataset '{id}' is images: use 'gray'");
        }

        if (recipe == "gray" && isCt)
        {
            map.Error(map.Take("recipe")!.Value.At, $"'{map.Path}.recipe' 'gray' is for image files; dataset '{id}' is CT in HU: use 'authors' or 'window'");
        }

        map.RejectUnknownKeys();
        return recipe is null || size is null ? null : new PreprocessSpec
        {
            Recipe = recipe,
            Size = (int)size,
            WindowLevel = level,
            WindowWidth = width,
        };
    }
}
