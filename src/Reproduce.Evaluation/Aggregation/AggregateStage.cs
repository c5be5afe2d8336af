using System.Globalization;
using System.Text.Json.Nodes;
using Reproduce.Core.Errors;
using Reproduce.Core.Manifests;
using Reproduce.Core.Planning;
using Reproduce.Core.Stages;

namespace Reproduce.Evaluation.Aggregation;

/// <summary>
/// The aggregate stage: one cell per task. Reads the <c>metrics.json</c> of each of the task's finetune cells, checks
/// it against the cell's address and the task's parameters, and writes <c>summary.csv</c>, <c>comparisons.csv</c>,
/// <c>folds.csv</c> and <c>images_per_class.csv</c> (<see cref="AggregateFiles"/>) into the cell. The inits come in the order of the upstream cells,
/// which the planner lists init by init in the manifest's <c>finetune.inits</c> order.
/// </summary>
public sealed class AggregateStage : IStage
{
    /// <summary>
    /// Version 2: the t quantiles and p-values come from MathNet.Numerics' incomplete beta, which moves their last digits.
    /// Version 3: summary.csv gains <c>images_per_class</c>, and the cell writes <c>images_per_class.csv</c>.
    /// </summary>
    public StageDescriptor Descriptor { get; } = new(StageNames.Aggregate, Version: 3);

    public Task<StageResult> RunAsync(CellContext context, CancellationToken cancellationToken)
    {
        var task = context.Parameters["task"]!.GetValue<string>();
        var classes = context.Parameters["classes"]!.GetValue<int>();
        var metrics = context.Parameters["metrics"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        // A task's fine-tuning aggregate reads finetune cells; a probe protocol's (addressed by protocol) reads probe cells, which publish the same metrics.json.
        var finetunes = context.Upstream.Where(u => u.Address.Stage is StageNames.Finetune or StageNames.Probe).ToList();
        if (finetunes.Count == 0)
        {
            throw new InvalidOperationException($"{context.Address} has no finetune or probe cells upstream");
        }

        var inits = finetunes.Select(u => u.Address["init"]!).Distinct().ToList();
        var results = new List<CellResult>();
        foreach (var finetune in finetunes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(Read(finetune, task, classes, metrics));
        }

        var aggregator = new Aggregator(task, inits, metrics, results);
        var summary = aggregator.Summary();
        var comparisons = aggregator.Comparisons();
        AggregateFiles.WriteSummary(Path.Combine(context.WorkDirectory, AggregateFiles.SummaryFileName), summary);
        AggregateFiles.WriteComparisons(Path.Combine(context.WorkDirectory, AggregateFiles.ComparisonsFileName), comparisons);
        AggregateFiles.WriteFolds(Path.Combine(context.WorkDirectory, AggregateFiles.FoldsFileName), aggregator.Folds());
        AggregateFiles.WriteImagesPerClass(Path.Combine(context.WorkDirectory, AggregateFiles.ImagesPerClassFileName), aggregator.ImagesPerClass());

        return Task.FromResult(new StageResult(
            new JsonObject { ["cells"] = results.Count, ["summary_rows"] = summary.Count, ["comparison_rows"] = comparisons.Count },
            new JsonObject
            {
                ["inits"] = new JsonArray([.. inits.Select(i => (JsonNode?)i)]),
                ["fractions"] = new JsonArray([.. results.Select(r => r.Fraction).Distinct().OrderDescending().Select(f => (JsonNode?)f)]),
            }));
    }

    /// <summary>A finetune cell's result, refused (naming the file) when it describes another cell or task or lacks a metric.</summary>
    private static CellResult Read(UpstreamOutput finetune, string task, int classes, IReadOnlyList<string> metrics)
    {
        var path = Path.Combine(finetune.Directory, CellResultJson.FileName);
        if (!File.Exists(path))
        {
            throw new CacheException(path, $"the published cell {finetune.Address} has no {CellResultJson.FileName}");
        }

        var result = CellResultJson.Read(path);
        var address = finetune.Address;
        var coordinates = $"task={result.Task}, init={result.Init}, fold={result.Fold.ToString(CultureInfo.InvariantCulture)}, fraction={ExperimentGraph.FormatFraction(result.Fraction)}";
        if (coordinates != $"task={address["task"]}, init={address["init"]}, fold={address["fold"]}, fraction={address["fraction"]}" || result.Task != task)
        {
            throw new DataFormatException(path, $"holds the result of {coordinates}, but belongs to {address} of task '{task}'");
        }

        if (result.Classes != classes || result.TrainImagesPerClass.Count != classes)
        {
            throw new DataFormatException(path, $"has {result.Classes} classes and {result.TrainImagesPerClass.Count} per-class training counts; task '{task}' has {classes} classes");
        }

        if (TableMetrics.MissingIn(result, metrics) is { Count: > 0 } missing)
        {
            throw new DataFormatException(path, $"its test metrics lack {string.Join(", ", missing)}");
        }

        return result;
    }
}
