namespace Reproduce.Core.Manifests;

/// <summary>The pipeline's stage names, in pipeline order: the manifest names its per-stage settings by them.</summary>
public static class StageNames
{
    public const string Download = "download";
    public const string Preprocess = "preprocess";
    public const string Pretrain = "pretrain";
    public const string Finetune = "finetune";

    /// <summary>A task's images through an init's frozen trunk, once, for the probes.</summary>
    public const string Features = "features";

    /// <summary>A linear probe or kNN on those features, per fold and fraction.</summary>
    public const string Probe = "probe";

    public const string Aggregate = "aggregate";
    public const string Render = "render";

    public static readonly IReadOnlyList<string> All = [Download, Preprocess, Pretrain, Finetune, Features, Probe, Aggregate, Render];
}
