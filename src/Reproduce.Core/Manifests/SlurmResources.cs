using System.Globalization;
using System.Text.RegularExpressions;

namespace Reproduce.Core.Manifests;

/// <summary>
/// What the Slurm jobs of one stage ask for (or, under <c>slurm.default</c>, every stage). These are how cells are
/// run, never what they compute: no cell key reads them. A setting left out falls back to <c>slurm.default</c>,
/// then to the executor's choice (the run's threads per cell for <c>cpus</c>, the partition's defaults otherwise).
/// </summary>
public sealed partial record SlurmResources
{
    /// <summary>The settings a stage's block may hold, by manifest name, with what each takes (for messages).</summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["partition"] = "a partition name, or several separated by commas",
        ["cpus"] = "an integer in [1, 4096]: --cpus-per-task, and the cell's compute threads",
        ["gpus"] = "an integer in [0, 64]: --gres=gpu:N",
        ["memory"] = "a memory size such as 16G, 500M or 64000 (MB): --mem",
        ["time"] = "a time limit as Slurm writes it: M, M:S, H:M:S, D-H, D-H:M or D-H:M:S",
        ["throttle"] = "an integer in [1, 100000]: at most this many tasks of an array at once",
        ["sbatch"] = "a list of further sbatch options, each '--name' or '--name=value'",
        ["retries"] = "an integer in [0, 10]: how many times the executor resubmits a task that ended in a state a retry can fix",
        ["memory_on_retry"] = "a memory size such as 64G: --mem of a task resubmitted after OUT_OF_MEMORY (none: not resubmitted)",
        ["time_on_retry"] = "a time limit as for 'time': --time of a task resubmitted after TIMEOUT (none: a stage that cannot resume is not resubmitted)",
    };

    /// <summary>The settings that stand for an sbatch option, which a stage's <c>sbatch</c> list may not repeat.</summary>
    private static readonly string[] SbatchSettings = ["partition", "cpus", "gpus", "memory", "time", "throttle"];

    /// <summary>How many times a task is resubmitted when its stage sets no <see cref="Retries"/>.</summary>
    public const int DefaultRetries = 1;

    /// <summary>
    /// sbatch options the executor writes itself (the array, its logs and dependencies, the requeue signal) or that a
    /// setting above stands for: a stage's <c>sbatch</c> list may not hold them.
    /// </summary>
    private static readonly HashSet<string> ReservedOptions = new(StringComparer.Ordinal)
    {
        "--array", "--output", "--error", "--input", "--dependency", "--kill-on-invalid-dep", "--job-name", "--parsable",
        "--wrap", "--signal", "--requeue", "--no-requeue", "--open-mode", "--chdir", "--export", "--wait",
        "--partition", "--cpus-per-task", "--gres", "--gpus", "--gpus-per-task", "--gpus-per-node", "--mem", "--mem-per-cpu",
        "--mem-per-gpu", "--time",
    };

    public static readonly SlurmResources None = new();

    public string? Partition { get; init; }

    public int? Cpus { get; init; }

    public int? Gpus { get; init; }

    public string? Memory { get; init; }

    public string? Time { get; init; }

    public int? Throttle { get; init; }

    public int? Retries { get; init; }

    public string? MemoryOnRetry { get; init; }

    public string? TimeOnRetry { get; init; }

    /// <summary>Further sbatch options, in order: <c>slurm.default</c>'s first, then the stage's.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>These settings over <paramref name="defaults"/>: a setting given here wins; sbatch options add up.</summary>
    public SlurmResources Over(SlurmResources defaults) => new()
    {
        Partition = Partition ?? defaults.Partition,
        Cpus = Cpus ?? defaults.Cpus,
        Gpus = Gpus ?? defaults.Gpus,
        Memory = Memory ?? defaults.Memory,
        Time = Time ?? defaults.Time,
        Throttle = Throttle ?? defaults.Throttle,
        Retries = Retries ?? defaults.Retries,
        MemoryOnRetry = MemoryOnRetry ?? defaults.MemoryOnRetry,
        TimeOnRetry = TimeOnRetry ?? defaults.TimeOnRetry,
        Options = [.. defaults.Options, .. Options],
    };

    /// <summary>
    /// These settings with <paramref name="setting"/> set from its text (for <c>sbatch</c>, one more option), or why
    /// the text is not a value of that setting.
    /// </summary>
    public (SlurmResources? Resources, string? Error) With(string setting, string text)
    {
        int? Integer(int min, int max) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value : null;
        var option = text.Split('=', 2)[0];

        SlurmResources? changed = setting switch
        {
            "partition" when PartitionPattern().IsMatch(text) => this with { Partition = text },
            "cpus" when Integer(1, 4096) is { } cpus => this with { Cpus = cpus },
            "gpus" when Integer(0, 64) is { } gpus => this with { Gpus = gpus },
            "memory" when MemoryPattern().IsMatch(text) => this with { Memory = text },
            "time" when TimePattern().IsMatch(text) => this with { Time = text },
            "throttle" when Integer(1, 100_000) is { } throttle => this with { Throttle = throttle },
            "retries" when Integer(0, 10) is { } retries => this with { Retries = retries },
            "memory_on_retry" when MemoryPattern().IsMatch(text) => this with { MemoryOnRetry = text },
            "time_on_retry" when TimePattern().IsMatch(text) => this with { TimeOnRetry = text },
            "sbatch" when OptionPattern().IsMatch(text) && !ReservedOptions.Contains(option) => this with { Options = [.. Options, text] },
            _ => null,
        };
        if (changed is not null)
        {
            return (changed, null);
        }

        return (null, setting switch
        {
            _ when !Settings.ContainsKey(setting) => $"unknown setting '{setting}' (known: {string.Join(", ", Settings.Keys)})",
            "sbatch" when !OptionPattern().IsMatch(text) => $"'{text}' is not an sbatch option: write '--name' or '--name=value' on one line",
            "sbatch" => $"'{option}' is set by the executor or by a setting of its own ({string.Join(", ", SbatchSettings)}): it cannot be an extra sbatch option",
            _ => $"'{text}' is not {Settings[setting]}",
        });
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+(,[A-Za-z0-9_.\-]+)*$")]
    private static partial Regex PartitionPattern();

    [GeneratedRegex(@"^[1-9][0-9]{0,9}[KMGT]?$")]
    private static partial Regex MemoryPattern();

    [GeneratedRegex(@"^([0-9]{1,4}-[0-9]{1,2}(:[0-9]{1,2}){0,2}|[0-9]{1,6}(:[0-9]{1,2}){0,2})$")]
    private static partial Regex TimePattern();

    // One line of printable characters with no quote or backslash: the option goes into the script as it is.
    [GeneratedRegex(@"^--[a-z][a-z0-9\-]*(=[^\s'""\\`$]{1,200})?$")]
    private static partial Regex OptionPattern();
}
