namespace Reproduce.Core.Manifests;

internal sealed partial class ManifestBinder
{
    private Dictionary<string, TaskSpec>? BindTasks(NodeReader? map, IReadOnlyDictionary<string, DatasetSpec>? datasets)
    {
        if (map is null)
        {
            return null;
        }

        var tasks = new Dictionary<string, TaskSpec>();
        foreach (var id in map.Keys.ToList())
        {
            var entry = map.Take(id)!;
            if (!Identifiers.Tasks.Contains(id))
            {
                map.Error(entry.KeyAt, $"unknown task '{id}' (known tasks: {string.Join(", ", Identifiers.Tasks)})");
                continue;
            }

            if (BindTask(id, map.MapOrEmpty(entry, $"tasks.{id}"), datasets) is { } task)
            {
                tasks[id] = task;
            }
        }

        if (tasks.Count == 0 && map.Keys.Any() == false)
        {
            map.Error(map.At, "'tasks' needs at least one task");
        }

        return tasks;
    }

    private TaskSpec? BindTask(string id, NodeReader map, IReadOnlyDictionary<string, DatasetSpec>? datasets)
    {
        var dataset = map.String("dataset", required: true, choices: [id]);
        if (dataset is not null && datasets is not null && !declaredDatasets.Contains(dataset))
        {
            map.Error(map.Take("dataset")!.Value.At, $"task '{id}' reads dataset '{dataset}', which 'datasets' does not declare");
        }

        var classes = map.Integer("classes", 2, 1000, required: true);
        var positive = map.Integer("positive_class", 0, 999);
        var labelOrder = map.String("label_order", choices: Identifiers.LabelOrders) ?? "disease-positive";
        var reduction = map.String("reduction", required: true, choices: Identifiers.ReductionModes);
        var mean = map.RealList("mean", 0, 1, minCount: 1, required: true);
        var std = map.RealList("std", 0, 10, minCount: 1, minExclusive: true, required: true);
        var flip = map.String("flip", choices: Identifiers.Flips) ?? "none";
        if (classes == 2 && positive is null)
        {
            map.Error(map.At, $"'{map.Path}' is binary and needs 'positive_class'");
        }

        if (positive is not null && classes is not null && positive >= classes)
        {
            map.Error(map.Take("positive_class")!.Value.At, $"'{map.Path}.positive_class' is {positive}, but the task has {classes} classes");
        }

        if (positive is not null && classes > 2)
        {
            map.Error(map.Take("positive_class")!.KeyAt, $"'{map.Path}.positive_class' applies only to binary tasks");
        }

        if (labelOrder == "authors" && id != Identifiers.Covid)
        {
            map.Error(map.Take("label_order")!.Value.At, $"'{map.Path}.label_order: authors' exists only for covid (COVID = 0 in the authors' notebook)");
        }

        if (mean is not null && std is not null && mean.Count != std.Count)
        {
            map.Error(map.Take("std")!.Value.At, $"'{map.Path}.mean' and '.std' need the same number of channels");
        }

        map.RejectUnknownKeys();
        if (dataset is null || classes is null || reduction is null || mean is null || std is null)
        {
            return null;
        }

        return new TaskSpec
        {
            Id = id,
            Dataset = dataset,
            Classes = (int)classes,
            PositiveClass = (int?)positive,
            LabelOrder = labelOrder,
            Reduction = reduction,
            Mean = mean,
            Std = std,
            Flip = flip,
        };
    }
}
