namespace Reproduce.Core.Manifests;

/// <summary>
/// The manifest's <c>slurm</c> section: the resources of the jobs <c>reproduce run --executor slurm</c> submits,
/// <c>default</c> for every stage and a block per stage over it. How cells are run, not what they compute: it enters
/// no cell key, and the local executor ignores it.
/// </summary>
public sealed record SlurmSpec(SlurmResources Default, IReadOnlyDictionary<string, SlurmResources> ByStage)
{
    public const string DefaultName = "default";

    public static readonly SlurmSpec None = new(SlurmResources.None, new Dictionary<string, SlurmResources>());

    /// <summary>The resources of <paramref name="stage"/>'s jobs: its own settings over the defaults.</summary>
    public SlurmResources For(string stage) => ByStage.TryGetValue(stage, out var own) ? own.Over(Default) : Default;

    /// <summary>
    /// This section with one setting overridden, as <c>--slurm [STAGE.]SETTING=VALUE</c> gives it (no stage: the
    /// default); the reason when the text is not one.
    /// </summary>
    public (SlurmSpec? Spec, string? Error) With(string assignment)
    {
        var parts = assignment.Split('=', 2);
        if (parts.Length != 2)
        {
            return (null, "expected [STAGE.]SETTING=VALUE");
        }

        var path = parts[0].Split('.', 2);
        var (stage, setting) = path.Length == 2 ? (path[0], path[1]) : (DefaultName, path[0]);
        if (stage != DefaultName && !StageNames.All.Contains(stage))
        {
            return (null, $"unknown stage '{stage}' (known: {string.Join(", ", StageNames.All)}, or no stage for the default)");
        }

        var current = stage == DefaultName ? Default : ByStage.GetValueOrDefault(stage, SlurmResources.None);
        var (changed, error) = current.With(setting, parts[1]);
        if (changed is null)
        {
            return (null, error);
        }

        return stage == DefaultName
            ? (this with { Default = changed }, null)
            : (this with { ByStage = new Dictionary<string, SlurmResources>(ByStage) { [stage] = changed } }, null);
    }
}
