namespace Reproduce.Core.Manifests;

/// <summary>The identifiers of DESIGN.md §7: datasets, tasks, sources, protocols and the scratch init.</summary>
public static class Identifiers
{
    public const string Lidc = "lidc";
    public const string Covid = "covid";
    public const string OrganSMnist = "organsmnist";
    public const string Brain = "brain";

    public const string Scratch = "scratch";

    public const string Synthetic = "synthetic";

    /// <summary>The values of <c>pretrain.memory_format</c>: NCHW (the default) or NHWC activations.</summary>
    public const string Contiguous = "contiguous";

    /// <summary>See <see cref="Contiguous"/>.</summary>
    public const string ChannelsLast = "channels_last";

    /// <summary>
    /// The version of what Reproduce.Data.Datasets.Synthetic draws, part of a synthetic download cell's parameters: bump it
    /// when a phantom changes, so synthetic data and everything after it recompute while real downloads keep their keys.
    /// 2: larger, brighter COVID opacities and larger bleeds, so from-scratch training learns the tasks in a few epochs.
    /// </summary>
    public const int SyntheticGeneratorVersion = 2;

    /// <summary>What <see cref="IsFolderName"/> accepts, for messages.</summary>
    public const string FolderNameRule = "1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit, without '..'";

    public static readonly IReadOnlyList<string> Datasets = [Lidc, Covid, OrganSMnist, Brain];

    /// <summary>The downstream tasks; each reads the dataset of the same id.</summary>
    public static readonly IReadOnlyList<string> Tasks = [Covid, OrganSMnist, Brain];

    /// <summary>Where each dataset can come from (DESIGN.md §4).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> SourcesByDataset = new Dictionary<string, IReadOnlyList<string>>
    {
        [Lidc] = ["nbia", Synthetic],
        [Covid] = ["github", Synthetic],
        [OrganSMnist] = ["zenodo", Synthetic],
        [Brain] = ["local", "kaggle", Synthetic],
    };

    public static readonly IReadOnlyList<string> Protocols = ["kfold", "official-split"];

    /// <summary>The fine-tuning protocol of the study, always evaluated: the claims and Regress read it.</summary>
    public const string FinetuneProtocol = "finetune";

    /// <summary>A logistic-regression head on the frozen trunk's features (an item of <c>evaluation.protocols</c>).</summary>
    public const string LinearProbe = "linear_probe";

    /// <summary>Weighted kNN on the frozen trunk's features (an item of <c>evaluation.protocols</c>).</summary>
    public const string Knn = "knn";

    /// <summary>How an init is evaluated (<c>evaluation.protocols</c>): fine-tuned, or probed frozen.</summary>
    public static readonly IReadOnlyList<string> EvaluationProtocols = [FinetuneProtocol, LinearProbe, Knn];

    public static readonly IReadOnlyList<string> ReductionModes = ["random", "first-n", "stratified"];

    public static readonly IReadOnlyList<string> LabelOrders = ["disease-positive", "authors"];

    public static readonly IReadOnlyList<string> PreprocessRecipes = ["authors", "window", "gray"];

    public static readonly IReadOnlyList<string> Architectures = ["resnet18", "resnet50"];

    public static readonly IReadOnlyList<string> Metrics = ["auc", "f1", "accuracy"];

    public static readonly IReadOnlyList<string> Flips = ["none", "vertical", "horizontal"];

    /// <summary>
    /// Whether a manifest value may become one folder name (the experiment's results folder, a dataset version's data
    /// folder): never '.', '..', a hidden name, a separator or a path, so the folder stays inside its root.
    /// </summary>
    public static bool IsFolderName(string text) =>
        text.Length is >= 1 and <= 100
        && char.IsAsciiLetterOrDigit(text[0])
        && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
        && !text.Contains("..", StringComparison.Ordinal);
}
