using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reproduce.Core.Errors;
using Reproduce.Evaluation.Metrics;

namespace Reproduce.Cli.Commands;

/// <summary>
/// <c>reproduce metrics &lt;predictions.csv&gt; [--json] [--positive-class N]</c>: the test-set metrics
/// of a predictions file as the study computed them with scikit-learn (PROTOCOL.md §7). With --json,
/// one flat object by metric name (the <c>test</c> object of a cell's metrics.json): an undefined
/// metric is null and its reason is under <c>not_defined</c>. Otherwise an aligned list and the
/// confusion matrix.
/// </summary>
internal static class MetricsCommand
{
    private const int NameWidth = 19;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static CultureInfo Invariant => CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var file = new Argument<string>("predictions") { Description = "a predictions CSV: id,label,p_0,…,p_{K-1}, as a finetune cell writes it" };
        var json = new Option<bool>("--json") { Description = "print one flat JSON object; an undefined metric is null, its reason under not_defined" };
        var positive = new Option<int?>("--positive-class")
        {
            Description = $"the positive class of a binary task for AUC, F1, precision and recall (default {ClassificationMetrics.DefaultPositiveClass}, the disease)",
        };
        var command = new Command("metrics", "compute accuracy, AUC, F1 … of a predictions CSV as scikit-learn does");
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.Options.Add(positive);
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new UsageException($"{path}: no such file");
            }

            var predictions = PredictionsCsv.Read(path);
            var positiveClass = result.GetValue(positive);
            if (positiveClass is { } chosen)
            {
                if (predictions.Classes != 2)
                {
                    throw new UsageException($"--positive-class {chosen}: {path} has {predictions.Classes} classes; a positive class applies to binary tasks only");
                }

                if (chosen is not (0 or 1))
                {
                    throw new UsageException($"--positive-class {chosen}: the classes of a binary task are 0 and 1");
                }
            }

            var metrics = ClassificationMetrics.Compute(predictions, positiveClass ?? ClassificationMetrics.DefaultPositiveClass);
            Console.WriteLine(result.GetValue(json) ? Json(metrics) : Text(path, predictions.Rows.Count, metrics));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Json(MetricSet metrics)
    {
        var json = new JsonObject();
        foreach (var (name, value) in metrics.FlatValues())
        {
            json[name] = value;
        }

        if (metrics.NotDefined() is { Count: > 0 } reasons)
        {
            json["not_defined"] = new JsonObject(reasons.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value)));
        }

        return json.ToJsonString(Indented);
    }

    private static string Text(string path, int images, MetricSet metrics)
    {
        var lines = new List<string>
        {
            Row("predictions", path),
            Row("images", images.ToString(Invariant)),
            Row("classes", metrics.Classes.ToString(Invariant) + (metrics.PositiveClass is { } positive ? $" (positive class {positive})" : "")),
        };
        foreach (var (name, metric) in metrics.Metrics)
        {
            lines.Add(Row(name, metric.Value is { } value ? value.ToString("0.0000", Invariant) : "not defined: " + metric.NotDefinedReason));
        }

        lines.Add("");
        lines.Add("confusion matrix (rows: label, columns: prediction)");
        var confusion = metrics.Confusion;
        var classes = Enumerable.Range(0, confusion.Classes).ToList();
        var width = classes.SelectMany(label => classes.Select(predicted => confusion[label, predicted]))
            .Append(confusion.Classes - 1)
            .Max(count => count.ToString(Invariant).Length) + 2;
        lines.Add(Cell("") + string.Concat(classes.Select(k => Cell(k.ToString(Invariant)))));
        lines.AddRange(classes.Select(label =>
            Cell(label.ToString(Invariant)) + string.Concat(classes.Select(predicted => Cell(confusion[label, predicted].ToString(Invariant))))));
        return string.Join(Environment.NewLine, lines);

        string Cell(string text) => text.PadLeft(width);
    }

    private static string Row(string name, string value) => name.PadRight(NameWidth) + value;
}
