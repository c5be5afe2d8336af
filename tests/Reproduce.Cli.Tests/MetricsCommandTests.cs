using System.Text.Json.Nodes;

namespace Reproduce.Cli.Tests;

/// <summary>
/// <c>reproduce metrics</c> as a process: the flat JSON object a cell's metrics.json holds, the
/// readable list with the confusion matrix, and one clear line with exit code 2 for bad input.
/// </summary>
public class MetricsCommandTests : IDisposable
{
    // labels 0 0 1 1, p_1 0.1 0.4 0.35 0.8 (PROTOCOL.md §7 by hand): predictions 0 0 0 1; accuracy 3/4,
    // AUC 3/4; positive class 1: precision 1, recall ½, F1 2/3; positive class 0: F1 4/5.
    private const string Binary = "id,label,p_0,p_1\na,0,0.9,0.1\nb,0,0.6,0.4\nc,1,0.65,0.35\nd,1,0.2,0.8\n";

    // Four classes, labels hold only 0 and 1: one-vs-rest AUC is not defined (sklearn raises).
    private const string ClassesAbsent = "id,label,p_0,p_1,p_2,p_3\na,0,0.6,0.2,0.1,0.1\nb,1,0.1,0.7,0.1,0.1\nc,1,0.2,0.2,0.5,0.1\n";

    private readonly string work = Path.Combine(Path.GetTempPath(), "reproduce-cli-tests", Guid.NewGuid().ToString("N"));

    public MetricsCommandTests()
    {
        Directory.CreateDirectory(work);
    }

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void JsonIsOneFlatObjectOfTheMetrics()
    {
        var result = Run(Write("preds.csv", Binary), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonNode.Parse(result.StandardOutput)!.AsObject();
        Assert.Equal(["accuracy", "balanced_accuracy", "auc", "f1", "f1_macro", "f1_micro", "precision", "recall"], json.Select(p => p.Key));
        Assert.Equal(0.75, json["accuracy"]!.GetValue<double>());
        Assert.Equal(0.75, json["auc"]!.GetValue<double>());
        Assert.Equal(2.0 / 3, json["f1"]!.GetValue<double>(), 1e-15);
        Assert.Equal(1.0, json["precision"]!.GetValue<double>());
        Assert.Equal(0.5, json["recall"]!.GetValue<double>());
    }

    [Fact]
    public void ThePositiveClassCanBeChosen()
    {
        var result = Run(Write("preds.csv", Binary), "--json", "--positive-class", "0");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonNode.Parse(result.StandardOutput)!.AsObject();
        Assert.Equal(0.8, json["f1"]!.GetValue<double>(), 1e-15);
        Assert.Equal(1.0, json["recall"]!.GetValue<double>());
    }

    [Fact]
    public void AnUndefinedMetricIsNullWithItsReason()
    {
        var result = Run(Write("preds.csv", ClassesAbsent), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonNode.Parse(result.StandardOutput)!.AsObject();
        Assert.Equal(["accuracy", "balanced_accuracy", "auc", "f1_macro", "f1_micro", "not_defined"], json.Select(p => p.Key));
        Assert.Null(json["auc"]);
        Assert.Equal(
            "classes 2, 3 are absent from the labels; one-vs-rest AUC needs each of the 4 classes",
            json["not_defined"]!["auc"]!.GetValue<string>());
    }

    [Fact]
    public void TextIsAnAlignedListAndTheConfusionMatrix()
    {
        var path = Write("preds.csv", ClassesAbsent);

        var result = Run(path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            [
                $"predictions        {path}",
                "images             3",
                "classes            4",
                "accuracy           0.6667",
                "balanced_accuracy  0.7500",
                "auc                not defined: classes 2, 3 are absent from the labels; one-vs-rest AUC needs each of the 4 classes",
                "f1_macro           0.5556",
                "f1_micro           0.6667",
                "",
                "confusion matrix (rows: label, columns: prediction)",
                "     0  1  2  3",
                "  0  1  0  0  0",
                "  1  0  1  1  0",
                "  2  0  0  0  0",
                "  3  0  0  0  0",
            ],
            result.OutputLines);
    }

    [Fact]
    public void AMalformedFileIsInvalidInputNamingFileLineAndColumn()
    {
        var path = Write("preds.csv", "id,label,p_0,p_1\na,0,0.5,0.5\nb,1,0.5,abc\n");

        var result = Run(path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: {path}: line 3, column 4 (p_1): 'abc' is not a number", Assert.Single(result.ErrorLines));
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public void AMissingFileIsAUsageError()
    {
        var result = Run(Path.Combine(work, "missing.csv"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("missing.csv: no such file", Assert.Single(result.ErrorLines));
    }

    [Theory]
    [InlineData(ClassesAbsent, "0", "has 4 classes; a positive class applies to binary tasks only")]
    [InlineData(Binary, "2", "--positive-class 2: the classes of a binary task are 0 and 1")]
    public void APositiveClassThatDoesNotFitIsAUsageError(string content, string positive, string problem)
    {
        var result = Run(Write("preds.csv", content), "--positive-class", positive);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(problem, Assert.Single(result.ErrorLines));
    }

    private CliProcess.Result Run(string path, params string[] options) =>
        CliProcess.Run(work, new Dictionary<string, string?>(), ["metrics", path, .. options]);

    private string Write(string name, string content)
    {
        var path = Path.Combine(work, name);
        File.WriteAllText(path, content);
        return path;
    }
}
