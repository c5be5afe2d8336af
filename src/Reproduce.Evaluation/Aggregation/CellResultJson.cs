using System.Text.Json;
using System.Text.Json.Nodes;
using Reproduce.Core.Errors;

namespace Reproduce.Evaluation.Aggregation;

/// <summary>
/// The finetune cell's <c>metrics.json</c>, the one contract between fine-tuning and aggregation:
/// <code>
/// { "task": "covid", "init": "byol", "fold": 0, "fraction": 0.25, "classes": 2,
///   "train_images": 106, "train_images_per_class": [50, 56],
///   "best_epoch": 12, "validation_accuracy": 0.8,
///   "test": { "accuracy": 0.71, "balanced_accuracy": 0.7, "auc": 0.78, "f1": 0.69, "f1_macro": 0.7, "f1_micro": 0.71 } }
/// </code>
/// <c>test</c> is the flat metrics object of <c>reproduce metrics --json</c>; a metric that is not defined is null.
/// </summary>
public static class CellResultJson
{
    public const string FileName = "metrics.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject ToJson(CellResult result)
    {
        var test = new JsonObject();
        foreach (var (name, value) in result.Test)
        {
            test[name] = value is { } defined && double.IsFinite(defined) ? defined : null;
        }

        return new JsonObject
        {
            ["task"] = result.Task,
            ["init"] = result.Init,
            ["fold"] = result.Fold,
            ["fraction"] = result.Fraction,
            ["classes"] = result.Classes,
            ["train_images"] = result.TrainImages,
            ["train_images_per_class"] = new JsonArray([.. result.TrainImagesPerClass.Select(c => (JsonNode?)c)]),
            ["best_epoch"] = result.BestEpoch,
            ["validation_accuracy"] = result.ValidationAccuracy,
            ["test"] = test,
        };
    }

    public static string ToText(CellResult result) => ToJson(result).ToJsonString(Indented);

    /// <summary>Reads a cell's <c>metrics.json</c>; a missing or mistyped field names the file and the field.</summary>
    public static CellResult Read(string path)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new DataFormatException(path, "expected a JSON object");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new DataFormatException(path, $"not a JSON object: {e.Message}", inner: e);
        }

        T Field<T>(string name)
        {
            try
            {
                return json[name] is { } node ? node.GetValue<T>() : throw new DataFormatException(path, $"field '{name}' is missing");
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                throw new DataFormatException(path, $"field '{name}' is not a {typeof(T).Name}: {e.Message}", inner: e);
            }
        }

        var perClass = json["train_images_per_class"] as JsonArray ?? throw new DataFormatException(path, "field 'train_images_per_class' is missing or not an array");
        var test = json["test"] as JsonObject ?? throw new DataFormatException(path, "field 'test' is missing or not an object");
        return new CellResult(
            Field<string>("task"),
            Field<string>("init"),
            Field<int>("fold"),
            Field<double>("fraction"),
            Field<int>("classes"),
            Field<int>("train_images"),
            [.. perClass.Select(c => c?.GetValue<int>() ?? throw new DataFormatException(path, "'train_images_per_class' holds a null"))],
            Field<int>("best_epoch"),
            Field<double>("validation_accuracy"),
            test.ToDictionary(p => p.Key, p => p.Value is null ? (double?)null : p.Value.GetValue<double>()));
    }
}
