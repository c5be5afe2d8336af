using System.Globalization;
using System.Text.Json.Nodes;
using Reproduce.Core.Errors;
using Reproduce.Core.Methods;

namespace Reproduce.Core.Manifests;

internal sealed partial class ManifestBinder
{
    private PretrainSpec? BindPretrain(NodeReader? map, IReadOnlyDictionary<string, DatasetSpec>? datasets)
    {
        if (map is null)
        {
            return null;
        }

        var dataset = map.String("dataset", required: true, choices: [Identifiers.Lidc]);
        if (dataset is not null && datasets is not null && !declaredDatasets.Contains(dataset))
        {
            map.Error(map.Take("dataset")!.Value.At, $"pre-training reads dataset '{dataset}', which 'datasets' does not declare");
        }

        var arch = map.String("arch", required: true, choices: Identifiers.Architectures);
        var imageSize = map.Integer("image_size", 64, 1024, required: true);
        if (imageSize is not null && imageSize % 32 != 0)
        {
            map.Error(map.Take("image_size")!.Value.At, $"'pretrain.image_size' is {imageSize}: it must be a multiple of 32 (SparK's patch grid)");
        }

        var checkpointEvery = map.Integer("checkpoint_every", 1, int.MaxValue) ?? 500;
        var viewsOnDevice = map.Bool("views_on_device") ?? false;
        var channelsLast = map.String("memory_format", choices: [Identifiers.Contiguous, Identifiers.ChannelsLast]) == Identifiers.ChannelsLast;
        var methodsMap = map.Map("methods", required: true);
        var methods = new Dictionary<string, MethodSpec>();
        foreach (var id in methodsMap?.Keys.ToList() ?? [])
        {
            var entry = methodsMap!.Take(id)!;
            if (catalog.Find(id) is not { } descriptor)
            {
                methodsMap.Error(entry.KeyAt, $"unknown method '{id}' (known methods: {string.Join(", ", catalog.Ids.Order(StringComparer.Ordinal))})");
                continue;
            }

            declaredMethods.Add(id);
            if (BindMethod(descriptor, methodsMap.MapOrEmpty(entry, $"pretrain.methods.{id}")) is { } method)
            {
                methods[id] = method;
            }
        }

        map.RejectUnknownKeys();
        if (dataset is null || arch is null || imageSize is null || methodsMap is null)
        {
            return null;
        }

        return new PretrainSpec
        {
            Dataset = dataset,
            Arch = arch,
            ImageSize = (int)imageSize,
            CheckpointEvery = (int)checkpointEvery,
            ViewsOnDevice = viewsOnDevice,
            ChannelsLast = channelsLast,
            Methods = methods,
        };
    }

    private static MethodSpec? BindMethod(MethodDescriptor descriptor, NodeReader map)
    {
        var values = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var valid = true;
        foreach (var parameter in descriptor.Parameters)
        {
            // Take every parameter, also an empty one ('epochs: ~' in a child: back to the default),
            // so that only keys that are no parameter are reported as unknown.
            var entry = map.Take(parameter.Name);
            var node = entry?.Value is ScalarNode { IsNull: true } ? null : entry?.Value;
            var value = node is null ? parameter.Default.DeepClone() : ReadParameter(map, parameter, node);
            valid &= value is not null;
            if (value is not null)
            {
                values[parameter.Name] = value;
            }
        }

        map.RejectUnknownKeys();
        return valid ? new MethodSpec(descriptor.Id, values) : null;
    }

    private static JsonNode? ReadParameter(NodeReader map, ParameterSpec parameter, ManifestNode node)
    {
        var what = $"{map.Path}.{parameter.Name}";
        var (min, max) = (parameter.Min, parameter.Max);
        switch (parameter.Kind)
        {
            case ParameterKind.Integer:
                return map.IntegerValue(node, what, ToLong(min), ToLong(max)) is { } i ? JsonValue.Create(i) : null;
            case ParameterKind.Real:
                return map.RealValue(node, what, min, max) is { } r ? JsonValue.Create(r) : null;
            case ParameterKind.Choice:
                return map.StringValue(node, what, parameter.Choices) is { } c ? JsonValue.Create(c) : null;
            case ParameterKind.Boolean:
                if (node is ScalarNode { IsQuoted: false, Value: "true" or "false" } flag)
                {
                    return JsonValue.Create(flag.Value == "true");
                }

                map.Error(node.At, $"'{what}' must be true or false");
                return null;
            case ParameterKind.RealList or ParameterKind.IntegerList:
                if (node is not ListNode list || list.Items.Count == 0)
                {
                    map.Error(node.At, $"'{what}' must be a non-empty list of numbers");
                    return null;
                }

                var items = list.Items.Select(item => parameter.Kind == ParameterKind.RealList
                    ? (map.RealValue(item, what, min, max) is { } v ? JsonValue.Create(v) : null)
                    : (map.IntegerValue(item, what, ToLong(min), ToLong(max)) is { } n ? (JsonNode?)JsonValue.Create(n) : null)).ToArray();
                return items.All(i => i is not null) ? new JsonArray(items) : null;
            default:
                throw new InvalidOperationException($"unhandled parameter kind {parameter.Kind}");
        }
    }

    private static long ToLong(double bound) => double.IsInfinity(bound)
        ? (bound > 0 ? long.MaxValue : long.MinValue)
        : (long)bound;

    private FinetuneSpec? BindFinetune(NodeReader? map)
    {
        if (map is null)
        {
            return null;
        }

        var (inits, initFiles, leftOut) = BindInits(map);
        var epochs = map.Integer("epochs", 1, 100_000, required: true);
        var batch = map.Integer("batch_size", 1, 1_000_000, required: true);
        var optimizer = map.String("optimizer", required: true, choices: ["adam", "adamw", "sgd"]);
        var lr = map.Real("learning_rate", 0, 10, required: true, minExclusive: true);
        var wd = map.Real("weight_decay", 0, 1, required: true);
        var freeze = map.Integer("freeze_backbone_epochs", 0, 100_000) ?? 0;
        var trainBn = map.Bool("train_bn_while_frozen") ?? true;
        var lrDrop = map.Bool("authors_lr_drop") ?? false;
        var inputSize = map.Integer("input_size", 16, 4096, required: true);
        if (epochs is not null && freeze >= epochs)
        {
            map.Error(map.Take("freeze_backbone_epochs")!.Value.At, $"'finetune.freeze_backbone_epochs' is {freeze}, but there are only {epochs} epochs");
        }

        map.RejectUnknownKeys();
        if (inits is null || epochs is null || batch is null || optimizer is null || lr is null || wd is null || inputSize is null)
        {
            return null;
        }

        return new FinetuneSpec
        {
            Inits = inits,
            InitFiles = initFiles,
            LeftOutInits = leftOut,
            Epochs = (int)epochs,
            BatchSize = (int)batch,
            Optimizer = optimizer,
            LearningRate = lr.Value,
            WeightDecay = wd.Value,
            FreezeBackboneEpochs = (int)freeze,
            TrainBatchNormWhileFrozen = trainBn,
            AuthorsLearningRateDrop = lrDrop,
            InputSize = (int)inputSize,
        };
    }

    /// <summary>
    /// <c>finetune.inits</c>: each item an id (<c>scratch</c> or a declared method) or a one-key map from a new id to its
    /// weights file (<c>{imagenet: {file: PATH, prefix_map: {"module.": ""}, optional: true}}</c>). An optional file init
    /// whose path names an unset environment variable is left out, and said so.
    /// </summary>
    private (IReadOnlyList<string>? Inits, IReadOnlyDictionary<string, InitFileSpec> Files, IReadOnlyList<string> LeftOut) BindInits(NodeReader map)
    {
        var items = map.List("inits", required: true, minCount: 1);
        var files = new Dictionary<string, InitFileSpec>();
        var leftOut = new List<string>();
        if (items is null)
        {
            return (null, files, leftOut);
        }

        var inits = new List<string>();
        var seen = new HashSet<string>();
        var failed = false;
        foreach (var item in items)
        {
            var id = item switch
            {
                MapNode { Entries.Count: 1 } fileInit => BindInitFile(map, fileInit.Entries[0], files),
                MapNode other => Fail(other.At, "a file init in 'finetune.inits' is a map with one key, its id: {imagenet: {file: PATH}}"),
                _ => BindNamedInit(map, item),
            };
            if (id is null)
            {
                failed = true;
                continue;
            }

            if (!seen.Add(id))
            {
                failed = true;
                map.Error(item.At, $"'finetune.inits' lists {Quoted.Bounded(id)} twice");
                continue;
            }

            if (files.TryGetValue(id, out var file) && file.Optional && file.File.Resolved is null)
            {
                leftOut.Add($"init '{id}' (optional) is left out: its file is '{file.File.Raw}', and {string.Join(", ", file.File.UnsetVariables)} is not set");
                continue;
            }

            inits.Add(id);
        }

        if (!failed && inits.Count == 0)
        {
            failed = true;
            map.Error(map.Take("inits")!.Value.At, "'finetune.inits' leaves no init to run once the optional ones are left out");
        }

        return (failed ? null : inits, files, leftOut);

        string? Fail(SourceSpan at, string message)
        {
            map.Error(at, message);
            return null;
        }
    }

    private string? BindNamedInit(NodeReader map, ManifestNode item)
    {
        var init = map.StringValue(item, "finetune.inits");
        if (init is not null && init != Identifiers.Scratch && !declaredMethods.Contains(init))
        {
            var known = string.Join(", ", new[] { Identifiers.Scratch }.Concat(declaredMethods.Order(StringComparer.Ordinal)));
            map.Error(item.At, $"unknown init '{init}' in 'finetune.inits' (known inits: {known}); an init from a weights file is written {{{init}: {{file: PATH}}}}");
            return null;
        }

        return init;
    }

    private string? BindInitFile(NodeReader map, MapEntry entry, Dictionary<string, InitFileSpec> files)
    {
        var id = entry.Key;
        var what = $"finetune.inits.{id}";
        if (id == Identifiers.Scratch || declaredMethods.Contains(id) || catalog.Find(id) is not null || !Identifiers.IsFolderName(id))
        {
            map.Error(entry.KeyAt, $"file init {Quoted.Bounded(id)} needs an id of its own ({Identifiers.FolderNameRule}) that is neither '{Identifiers.Scratch}' nor a method");
            return null;
        }

        var reader = map.MapOrEmpty(entry, what);
        var file = reader.PathSetting("file");
        if (file is null)
        {
            reader.Error(reader.At, $"'{what}' needs 'file', the weights file (.pt, .pth, .ckpt or .safetensors)");
        }

        var prefixes = new List<KeyValuePair<string, string>>();
        if (reader.Map("prefix_map") is { } prefixMap)
        {
            foreach (var from in prefixMap.Keys.ToList())
            {
                var to = prefixMap.Take(from)!.Value;
                if (to is ScalarNode { IsNull: true })
                {
                    prefixes.Add(KeyValuePair.Create(from, ""));
                }
                else if (prefixMap.StringValue(to, $"{what}.prefix_map.{from}") is { } replacement)
                {
                    prefixes.Add(KeyValuePair.Create(from, replacement));
                }
            }
        }

        var optional = reader.Bool("optional") ?? false;
        reader.RejectUnknownKeys();
        if (file is null)
        {
            return null;
        }

        files[id] = new InitFileSpec { Id = id, File = file, PrefixMap = prefixes, Optional = optional };
        return id;
    }

    private static EvaluationSpec? BindEvaluation(NodeReader? map)
    {
        if (map is null)
        {
            return null;
        }

        var protocol = map.String("protocol", required: true, choices: Identifiers.Protocols);
        var folds = map.Integer("folds", 1, 100);
        var fractions = map.RealList("fractions", 0, 1, minCount: 1, minExclusive: true, required: true);
        var validation = map.Real("validation_fraction", 0, 0.9, minExclusive: true) ?? 0.15;
        var metrics = map.StringList("metrics", Identifiers.Metrics, minCount: 1, required: true);
        var protocols = map.StringList("protocols", Identifiers.EvaluationProtocols, minCount: 1) ?? [Identifiers.FinetuneProtocol];
        if (!protocols.Contains(Identifiers.FinetuneProtocol))
        {
            map.Error(map.Take("protocols")!.Value.At, $"'evaluation.protocols' must include '{Identifiers.FinetuneProtocol}', the study's protocol, which the claims and Regress read");
        }

        var knn = map.Map("knn");
        var neighbours = knn?.Integer("neighbours", 1, 10_000) ?? 20;
        var temperature = knn?.Real("temperature", 0, 100, minExclusive: true) ?? 0.07;
        knn?.RejectUnknownKeys();
        if (protocol == "kfold" && (folds is not null ? folds < 2 : !map.Has("folds")))
        {
            map.Error(map.Take("folds")?.Value.At ?? map.At, "'evaluation.folds' must be at least 2 with protocol 'kfold'");
        }

        if (protocol == "official-split" && folds is not null && folds != 1)
        {
            map.Error(map.Take("folds")!.Value.At, "'evaluation.folds' must be 1 (or absent) with protocol 'official-split'");
        }

        var duplicate = fractions?.GroupBy(f => f).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            map.Error(map.Take("fractions")!.Value.At, $"'evaluation.fractions' lists {duplicate.Key.ToString(CultureInfo.InvariantCulture)} twice");
        }

        map.RejectUnknownKeys();
        if (protocol is null || fractions is null || metrics is null || duplicate is not null)
        {
            return null;
        }

        return new EvaluationSpec
        {
            Protocol = protocol,
            Folds = protocol == "kfold" ? (int)(folds ?? 0) : 1,
            Fractions = fractions,
            ValidationFraction = validation,
            Metrics = metrics,
            Protocols = protocols,
            KnnNeighbours = (int)neighbours,
            KnnTemperature = temperature,
        };
    }
}
