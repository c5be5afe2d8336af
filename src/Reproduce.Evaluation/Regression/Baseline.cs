using System.Text.Json;
using System.Text.Json.Serialization;
using Reproduce.Core.Errors;
using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Regression;

/// <summary>
/// An experiment's expected headline metrics (<c>results/baselines/&lt;experiment&gt;.json</c>): for each task × init ×
/// training fraction × table metric, the mean over folds a run is expected to give, the tolerance around it and
/// which way is better. How the tolerances were derived is in <see cref="Derivation"/> and in the Markdown file beside it.
/// </summary>
public sealed record Baseline
{
    public required string Experiment { get; init; }

    public required string Derivation { get; init; }

    public required IReadOnlyList<BaselineMetric> Metrics { get; init; }

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    public static Baseline Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new EnvironmentException($"no baseline at {path}: derive one with `reproduce baseline --manifest <manifest>` (README, \"CI regression\")");
        }

        Baseline? baseline;
        try
        {
            baseline = JsonSerializer.Deserialize<Baseline>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            // The serializer's message names the JSON path, line and byte position of the problem.
            throw new DataFormatException(path, e.Message, inner: e);
        }

        if (baseline is null)
        {
            throw new DataFormatException(path, "the file holds null, not a baseline");
        }

        var seen = new HashSet<string>();
        foreach (var (metric, index) in baseline.Metrics.Select((m, i) => (m, i)))
        {
            var problem = metric switch
            {
                _ when !TableMetrics.All.Contains(metric.Metric) => $"metric '{metric.Metric}' is not a table metric ({string.Join(", ", TableMetrics.All)})",
                _ when metric.Better is not (BaselineMetric.Higher or BaselineMetric.Lower) => $"better '{metric.Better}' is neither '{BaselineMetric.Higher}' nor '{BaselineMetric.Lower}'",
                // JSON has no NaN or infinity, so a number read here is finite already.
                _ when metric.Tolerance < 0 => $"tolerance {metric.Tolerance} is negative",
                _ when !seen.Add(metric.Name) => $"{metric.Name} is listed twice",
                _ => null,
            };
            if (problem is not null)
            {
                throw new DataFormatException(path, $"metrics[{index}]: {problem}");
            }
        }

        return baseline;
    }

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Options) + "\n");
}

/// <summary>
/// One expected value: <see cref="Better"/> is <c>higher</c> (AUC, F1, accuracy) or <c>lower</c>; a run fails the
/// check when its value is worse than <see cref="Expected"/> by more than <see cref="Tolerance"/>.
/// </summary>
public sealed record BaselineMetric(string Task, string Init, double Fraction, string Metric, double Expected, double Tolerance, string Better)
{
    public const string Higher = "higher";
    public const string Lower = "lower";

    [JsonIgnore]
    public string Name => NameOf(Task, Init, Fraction, Metric);

    /// <summary>A metric's identity as tables and messages spell it: <c>covid scratch 1.0 auc</c>.</summary>
    public static string NameOf(string task, string init, double fraction, string metric) =>
        $"{task} {init} {Core.Planning.ExperimentGraph.FormatFraction(fraction)} {metric}";
}
