using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reproduce.Core.Cells;
using Reproduce.Core.Manifests;

namespace Reproduce.Core.Planning;

/// <summary>
/// Expands a manifest into its cells (DESIGN.md §1): one download and one preprocess cell per
/// dataset in use, one pretrain cell per method in <c>finetune.inits</c>, one finetune cell per
/// task × init × fold × fraction, one aggregate cell per task and one render cell (upstream of it every aggregate
/// and every pretrain cell). Every setting a
/// stage reads goes into its cell's parameters, and nothing else does (no paths, no run settings).
/// </summary>
public static class ExperimentGraph
{
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static CellGraph Build(Manifest manifest)
    {
        var cells = new List<Cell>();
        var methods = manifest.Finetune.Inits.Where(i => i != Identifiers.Scratch && !manifest.Finetune.InitFiles.ContainsKey(i)).ToList();
        var datasetIds = manifest.Tasks.Values.Select(t => t.Dataset)
            .Concat(methods.Count > 0 ? [manifest.Pretrain.Dataset] : [])
            .Distinct()
            .OrderBy(id => Identifiers.Datasets.ToList().IndexOf(id))
            .ToList();

        var preprocess = new Dictionary<string, Cell>();
        foreach (var id in datasetIds)
        {
            var dataset = manifest.Datasets[id];
            var download = DownloadCell(dataset, manifest.Seed);
            var prepared = PreprocessCell(dataset, download);
            cells.Add(download);
            preprocess[id] = prepared;
        }

        cells.AddRange(preprocess.Values);

        var pretrain = new Dictionary<string, Cell>();
        foreach (var method in methods)
        {
            var cell = new Cell(new CellAddress(StageNames.Pretrain, ("method", method)), PretrainParameters(manifest, manifest.Pretrain.Methods[method]), [], [preprocess[manifest.Pretrain.Dataset]]);
            pretrain[method] = cell;
            cells.Add(cell);
        }

        // Hashed once per plan: every finetune cell of a file init carries the same identity of its file.
        var initFiles = manifest.Finetune.Inits.Where(manifest.Finetune.InitFiles.ContainsKey)
            .ToDictionary(i => i, i => InitFileParameters(manifest.Finetune.InitFiles[i]));
        var aggregates = new List<Cell>();
        foreach (var task in manifest.Tasks.Values)
        {
            var finetunes = new List<Cell>();
            foreach (var init in manifest.Finetune.Inits)
            {
                for (var fold = 0; fold < manifest.Evaluation.Folds; fold++)
                {
                    foreach (var fraction in manifest.Evaluation.Fractions)
                    {
                        var address = new CellAddress(StageNames.Finetune, ("task", task.Id), ("init", init), ("fold", fold.ToString(CultureInfo.InvariantCulture)), ("fraction", FormatFraction(fraction)));
                        var parameters = FinetuneParameters(manifest, task, init, fold, fraction);
                        if (initFiles.TryGetValue(init, out var file))
                        {
                            parameters[InitFileParameter] = file.Identity.DeepClone();
                            finetunes.Add(new Cell(address, parameters, [], [preprocess[task.Dataset]], file.Location.DeepClone().AsObject()));
                            continue;
                        }

                        Cell[] upstream = init == Identifiers.Scratch ? [preprocess[task.Dataset]] : [preprocess[task.Dataset], pretrain[init]];
                        finetunes.Add(new Cell(address, parameters, [], upstream));
                    }
                }
            }

            cells.AddRange(finetunes);
            var aggregate = new Cell(new CellAddress(StageNames.Aggregate, ("task", task.Id)), AggregateParameters(manifest, task), [], finetunes);
            aggregates.Add(aggregate);
            cells.Add(aggregate);
            AddProbes(manifest, task, preprocess[task.Dataset], pretrain, initFiles, cells, aggregates);
        }

        // The render cell draws the pre-training loss curves too, and a stage reads only its upstream cells' outputs.
        cells.Add(new Cell(new CellAddress(StageNames.Render), RenderParameters(manifest), [], [.. aggregates, .. pretrain.Values]));
        return new CellGraph(cells);
    }

    /// <summary>
    /// The probe protocols of a task, when <c>evaluation.protocols</c> names any: one features cell per init (the task's
    /// images through the frozen trunk, computed once), one probe cell per init × protocol × fold × fraction reading
    /// them, and one aggregate cell per protocol, addressed by it so the fine-tuning aggregate keeps its address.
    /// </summary>
    private static void AddProbes(
        Manifest manifest, TaskSpec task, Cell preprocess, Dictionary<string, Cell> pretrain,
        Dictionary<string, (JsonObject Identity, JsonObject Location)> initFiles, List<Cell> cells, List<Cell> aggregates)
    {
        var protocols = manifest.Evaluation.Protocols.Where(p => p != Identifiers.FinetuneProtocol).ToList();
        if (protocols.Count == 0)
        {
            return;
        }

        var features = new Dictionary<string, Cell>();
        foreach (var init in manifest.Finetune.Inits)
        {
            var parameters = new JsonObject
            {
                ["task"] = ToJson(task),
                ["init"] = init,
                ["arch"] = manifest.Pretrain.Arch,
                ["input_size"] = manifest.Finetune.InputSize,
                ["seed"] = manifest.Seed,
            };
            var address = new CellAddress(StageNames.Features, ("task", task.Id), ("init", init));
            if (initFiles.TryGetValue(init, out var file))
            {
                parameters[InitFileParameter] = file.Identity.DeepClone();
                features[init] = new Cell(address, parameters, [], [preprocess], file.Location.DeepClone().AsObject());
            }
            else
            {
                features[init] = new Cell(address, parameters, [], init == Identifiers.Scratch ? [preprocess] : [preprocess, pretrain[init]]);
            }

            cells.Add(features[init]);
        }

        foreach (var protocol in protocols)
        {
            var probes = new List<Cell>();
            foreach (var init in manifest.Finetune.Inits)
            {
                for (var fold = 0; fold < manifest.Evaluation.Folds; fold++)
                {
                    foreach (var fraction in manifest.Evaluation.Fractions)
                    {
                        var address = new CellAddress(StageNames.Probe, ("task", task.Id), ("init", init), (ProtocolDimension, protocol), ("fold", fold.ToString(CultureInfo.InvariantCulture)), ("fraction", FormatFraction(fraction)));
                        probes.Add(new Cell(address, ProbeParameters(manifest, task, init, protocol, fold, fraction), [], [preprocess, features[init]]));
                    }
                }
            }

            cells.AddRange(probes);
            var parameters = AggregateParameters(manifest, task);
            parameters[ProtocolDimension] = protocol;
            var aggregate = new Cell(new CellAddress(StageNames.Aggregate, ("task", task.Id), (ProtocolDimension, protocol)), parameters, [], probes);
            aggregates.Add(aggregate);
            cells.Add(aggregate);
        }
    }

    private static JsonObject ProbeParameters(Manifest manifest, TaskSpec task, string init, string protocol, int fold, double fraction)
    {
        var parameters = new JsonObject
        {
            ["task"] = ToJson(task),
            ["init"] = init,
            ["protocol"] = protocol,
            ["split"] = manifest.Evaluation.Protocol,
            ["folds"] = manifest.Evaluation.Folds,
            ["fold"] = fold,
            ["fraction"] = fraction,
            ["validation_fraction"] = manifest.Evaluation.ValidationFraction,
            ["seed"] = manifest.Seed,
        };
        if (protocol == Identifiers.Knn)
        {
            parameters["neighbours"] = manifest.Evaluation.KnnNeighbours;
            parameters["temperature"] = manifest.Evaluation.KnnTemperature;
        }

        return parameters;
    }

    /// <summary>The download cell of a dataset: its parameters, the identity of its source, and where a local folder is.</summary>
    public static Cell DownloadCell(DatasetSpec dataset, long seed) =>
        new(new CellAddress(StageNames.Download, ("dataset", dataset.Id)), DownloadParameters(dataset, seed), InputIdentity(dataset), [], Locations(dataset));

    /// <summary>The preprocess cell of a dataset, downstream of its download cell.</summary>
    public static Cell PreprocessCell(DatasetSpec dataset, Cell download) =>
        new(new CellAddress(StageNames.Preprocess, ("dataset", dataset.Id)), PreprocessParameters(dataset), [], [download]);

    /// <summary>
    /// A manifest record (a task, the fine-tuning protocol …) read back from a cell's parameters, where this class
    /// wrote it in snake case; the stage and the planner thus agree on one naming by construction.
    /// </summary>
    public static T ReadRecord<T>(JsonNode? parameters) =>
        parameters.Deserialize<T>(SnakeCase) ?? throw new JsonException($"no {typeof(T).Name} in the cell's parameters");

    /// <summary>
    /// The parameter of a finetune cell whose init is a weights file: the file's SHA-256 and the prefix map (the file's
    /// path is a location, not part of the key, so moving the file re-keys nothing and editing it re-keys the cells).
    /// </summary>
    public const string InitFileParameter = "init_file";

    /// <summary>The address coordinate of a probe protocol's cells and aggregate; fine-tuning's cells have none.</summary>
    public const string ProtocolDimension = "protocol";

    /// <summary>The location (<see cref="Cell"/>'s <c>locations</c>) of a file init's path.</summary>
    public const string InitFileLocation = "init_file";

    /// <summary>A fraction as it appears in addresses and folder names: at least one decimal (1.0, 0.25).</summary>
    public static string FormatFraction(double fraction)
    {
        var text = fraction.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }

    private static JsonObject DownloadParameters(DatasetSpec dataset, long seed)
    {
        var parameters = new JsonObject { ["dataset"] = dataset.Id };
        if (dataset.Synthetic is { } synthetic)
        {
            parameters["synthetic"] = ToJson(synthetic);
            parameters["generator"] = Identifiers.SyntheticGeneratorVersion;
            parameters["seed"] = seed;
        }

        return parameters;
    }

    /// <summary>
    /// What can be known of an external source before downloading it (DESIGN.md §1): source, URL,
    /// collection, version; for a local folder a fingerprint of relative paths, sizes and times.
    /// </summary>
    private static JsonObject InputIdentity(DatasetSpec dataset)
    {
        var identity = new JsonObject { ["source"] = dataset.Source };
        AddIfSet(identity, "url", dataset.Url);
        AddIfSet(identity, "collection", dataset.Collection);
        AddIfSet(identity, "version", dataset.Version);
        if (dataset.ImageSize is { } size)
        {
            identity["image_size"] = size;
        }

        if (dataset.Path is { } path)
        {
            identity["fingerprint"] = path.Resolved is { } resolved ? FolderFingerprint(resolved) : "unset:" + string.Join(",", path.UnsetVariables);
        }

        return identity;
    }

    /// <summary>Where a local folder or archive is on this machine: how the download cell finds what its fingerprint identifies.</summary>
    private static JsonObject Locations(DatasetSpec dataset) =>
        dataset.Path is { } path ? new JsonObject { ["path"] = JsonSerializer.SerializeToNode(path, SnakeCase) } : [];

    private static JsonObject PreprocessParameters(DatasetSpec dataset)
    {
        var parameters = ToJson(dataset.Preprocess);
        parameters["dataset"] = dataset.Id;
        return parameters;
    }

    private static JsonObject PretrainParameters(Manifest manifest, MethodSpec method)
    {
        var hyper = new JsonObject();
        foreach (var (name, value) in method.Parameters)
        {
            hyper[name] = value.DeepClone();
        }

        var parameters = new JsonObject
        {
            [PretrainParameterNames.Method] = method.Id,
            [PretrainParameterNames.Dataset] = manifest.Pretrain.Dataset,
            [PretrainParameterNames.Arch] = manifest.Pretrain.Arch,
            [PretrainParameterNames.ImageSize] = manifest.Pretrain.ImageSize,
            [PretrainParameterNames.Seed] = manifest.Seed,
            [PretrainParameterNames.Hyper] = hyper,
        };

        // Only when set, so the keys of every manifest without it stay what they were.
        if (manifest.Pretrain.ViewsOnDevice)
        {
            parameters[PretrainParameterNames.ViewsOnDevice] = true;
        }

        if (manifest.Pretrain.ChannelsLast)
        {
            parameters[PretrainParameterNames.MemoryFormat] = Identifiers.ChannelsLast;
        }

        return parameters;
    }

    private static JsonObject FinetuneParameters(Manifest manifest, TaskSpec task, string init, int fold, double fraction) => new()
    {
        ["task"] = ToJson(task),
        ["init"] = init,
        ["arch"] = manifest.Pretrain.Arch,
        ["protocol"] = manifest.Evaluation.Protocol,
        ["folds"] = manifest.Evaluation.Folds,
        ["fold"] = fold,
        ["fraction"] = fraction,
        ["validation_fraction"] = manifest.Evaluation.ValidationFraction,
        ["seed"] = manifest.Seed,
        ["finetune"] = FinetuneSettings(manifest.Finetune),
    };

    private static JsonObject FinetuneSettings(FinetuneSpec finetune)
    {
        var settings = ToJson(finetune);
        settings.Remove("inits");
        return settings;
    }

    private static JsonObject AggregateParameters(Manifest manifest, TaskSpec task) => new()
    {
        ["task"] = task.Id,
        ["classes"] = task.Classes,
        ["metrics"] = ToJsonArray(manifest.Evaluation.Metrics),
        ["protocol"] = manifest.Evaluation.Protocol,
    };

    private static JsonObject RenderParameters(Manifest manifest)
    {
        var parameters = new JsonObject
        {
            ["experiment"] = manifest.Experiment,
            ["title"] = manifest.Title,
            ["inits"] = ToJsonArray(manifest.Finetune.Inits),
            ["folds"] = manifest.Evaluation.Folds,
            ["metrics"] = ToJsonArray(manifest.Evaluation.Metrics),
            ["deviations"] = ToJsonArray(manifest.Deviations),
        };

        // The report describes the kNN it shows; only with one, so an experiment without it keeps its render key.
        if (manifest.Evaluation.Protocols.Contains(Identifiers.Knn))
        {
            parameters["knn"] = new JsonObject { ["neighbours"] = manifest.Evaluation.KnnNeighbours, ["temperature"] = manifest.Evaluation.KnnTemperature };
        }

        return parameters;
    }

    private static JsonObject ToJson<T>(T record) => RemoveNulls(JsonSerializer.SerializeToNode(record, SnakeCase)!.AsObject());

    private static JsonObject RemoveNulls(JsonObject json)
    {
        foreach (var name in json.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            json.Remove(name);
        }

        return json;
    }

    private static JsonArray ToJsonArray(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static void AddIfSet(JsonObject json, string name, string? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }

    private static (JsonObject Identity, JsonObject Location) InitFileParameters(InitFileSpec init)
    {
        var prefixes = new JsonArray(init.PrefixMap.Select(p => (JsonNode?)new JsonArray(p.Key, p.Value)).ToArray());
        var identity = new JsonObject { ["sha256"] = FileSha256(init.File), ["prefix_map"] = prefixes };
        return (identity, new JsonObject { [InitFileLocation] = JsonSerializer.SerializeToNode(init.File, SnakeCase) });
    }

    /// <summary>
    /// The file's SHA-256, or what stands in for it when there is no file yet: planning works without the data, and the
    /// finetune stage names the missing file when it runs.
    /// </summary>
    private static string FileSha256(ConfiguredPath path)
    {
        if (path.Resolved is not { } resolved)
        {
            return "unset:" + string.Join(",", path.UnsetVariables);
        }

        if (!File.Exists(resolved))
        {
            return "absent";
        }

        using var stream = File.OpenRead(resolved);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>SHA-256 over the sorted relative paths, sizes and modification times of a folder's files.</summary>
    private static string FolderFingerprint(string folder)
    {
        if (File.Exists(folder))
        {
            var file = new FileInfo(folder);
            return $"file:{file.Length}:{file.LastWriteTimeUtc.Ticks}";
        }

        if (!Directory.Exists(folder))
        {
            return "absent";
        }

        var lines = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => new FileInfo(f))
            .Select(f => $"{Path.GetRelativePath(folder, f.FullName).Replace('\\', '/')}\t{f.Length}\t{f.LastWriteTimeUtc.Ticks}")
            .Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))));
    }
}
