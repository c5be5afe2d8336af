using Reproduce.Core.Errors;
using Reproduce.Core.Methods;

namespace Reproduce.Core.Manifests;

/// <summary>
/// Turns a merged manifest tree into a <see cref="Manifest"/>, collecting every problem with its
/// position. Sections are bound by the partial files <c>ManifestBinder.*.cs</c>.
/// </summary>
internal sealed partial class ManifestBinder
{
    private readonly List<ManifestError> errors = [];
    private readonly MethodCatalog catalog;

    /// <summary>Method ids under <c>pretrain.methods</c>, valid or not, so a bad method block is not also reported as an unknown init.</summary>
    private readonly HashSet<string> declaredMethods = [];

    /// <summary>Dataset ids under <c>datasets</c>, valid or not, so a bad dataset block is not also reported as undeclared by its task.</summary>
    private readonly HashSet<string> declaredDatasets = [];

    private ManifestBinder(MethodCatalog catalog)
    {
        this.catalog = catalog;
    }

    public static (Manifest? Manifest, IReadOnlyList<ManifestError> Errors) Bind(MapNode tree, IReadOnlyList<string> files, MethodCatalog catalog)
    {
        var binder = new ManifestBinder(catalog);
        var manifest = binder.BindRoot(new NodeReader(tree, "", binder.errors), files);
        return (binder.errors.Count == 0 ? manifest : null, binder.errors);
    }

    private Manifest? BindRoot(NodeReader root, IReadOnlyList<string> files)
    {
        var experiment = root.String("experiment", required: true);
        var title = root.String("title") ?? "";
        var seed = root.Integer("seed", 0, uint.MaxValue, required: true);
        var paths = BindPaths(root.Map("paths"));
        var datasets = BindDatasets(root.Map("datasets", required: true));
        var tasks = BindTasks(root.Map("tasks", required: true), datasets);
        var pretrain = BindPretrain(root.Map("pretrain", required: true), datasets);
        var finetune = BindFinetune(root.Map("finetune", required: true));
        var evaluation = BindEvaluation(root.Map("evaluation", required: true));
        var deviations = root.StringList("deviations") ?? [];
        var slurm = BindSlurm(root.Map("slurm"));
        root.RejectUnknownKeys();

        if (experiment is not null && !Identifiers.IsFolderName(experiment))
        {
            root.Error(root.Take("experiment")!.Value.At, $"'experiment' is {Quoted.Bounded(experiment)}: it names a results folder, so it must be {Identifiers.FolderNameRule}");
        }

        if (experiment is null || seed is null || datasets is null || tasks is null || pretrain is null || finetune is null || evaluation is null)
        {
            return null;
        }

        return new Manifest
        {
            Experiment = experiment,
            Title = title,
            Seed = seed.Value,
            Files = files.Reverse().ToList(),
            Paths = paths,
            Datasets = datasets,
            Tasks = tasks,
            Pretrain = pretrain,
            Finetune = finetune,
            Evaluation = evaluation,
            Deviations = deviations,
            Slurm = slurm,
        };
    }

    private static PathsSpec BindPaths(NodeReader? map)
    {
        if (map is null)
        {
            return PathsSpec.None;
        }

        var paths = new PathsSpec(map.PathSetting("data"), map.PathSetting("cache"), map.PathSetting("results"));
        map.RejectUnknownKeys();
        return paths;
    }
}
