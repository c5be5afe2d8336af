using System.Text.Json;
using Reproduce.Evaluation.Metrics;

namespace Reproduce.Evaluation.Tests.Metrics;

/// <summary>
/// The metrics against scikit-learn 1.2.1 itself: sklearn_reference.json holds cases and sklearn's
/// values, written by sklearn_reference.py beside it (rerun that script to regenerate). Where sklearn
/// returned a number the metric agrees to 1e-12; where sklearn raised, the metric is not defined.
/// </summary>
public class SklearnReferenceTests
{
    private const double Tolerance = 1e-12;

    private static readonly Lazy<JsonDocument> Reference = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Metrics", "sklearn_reference.json"))));

    public static TheoryData<string> CaseNames() => new(Names());

    private static IEnumerable<string> Names() =>
        Reference.Value.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void AgreesWithScikitLearn(string name)
    {
        var reference = Reference.Value.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var labels = reference.GetProperty("labels").EnumerateArray().Select(l => l.GetInt32()).ToArray();
        var probabilities = reference.GetProperty("probabilities").EnumerateArray()
            .Select(row => (IReadOnlyList<double>)[.. row.EnumerateArray().Select(p => p.GetDouble())])
            .ToArray();

        var metrics = ClassificationMetrics.Compute(labels, probabilities, reference.GetProperty("classes").GetInt32(), reference.GetProperty("positive_class").GetInt32());

        var expected = reference.GetProperty("expected").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal(expected.Keys.Order(), metrics.Metrics.Keys.Order());
        foreach (var (metric, value) in expected)
        {
            var actual = metrics.Metrics[metric];
            if (value.ValueKind == JsonValueKind.Null)
            {
                Assert.True(actual.Value is null, $"{name}: {metric} is {actual.Value}, but sklearn raised: {reference.GetProperty("sklearn_errors").GetProperty(metric).GetString()}");
                Assert.False(string.IsNullOrWhiteSpace(actual.NotDefinedReason));
            }
            else
            {
                Assert.True(actual.Value is { } defined && Math.Abs(defined - value.GetDouble()) <= Tolerance, $"{name}: {metric} is {actual.Value?.ToString("R") ?? "not defined: " + actual.NotDefinedReason}, sklearn {value.GetDouble():R}");
            }
        }
    }

    [Fact]
    public void TheReferenceCoversTheCasesItPromises()
    {
        var names = Names().ToHashSet();

        Assert.Superset(
            new HashSet<string>
            {
                "binary_random", "binary_tied_scores", "binary_positive_class_0", "multiclass_3", "multiclass_11", "multiclass_tied",
                "binary_one_class", "multiclass_absent_class", "multiclass_class_never_predicted",
                "binary_perfect", "binary_all_wrong", "multiclass_perfect", "multiclass_all_wrong",
            },
            names);
    }
}
