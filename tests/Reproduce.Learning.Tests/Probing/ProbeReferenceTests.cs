using System.Text.Json.Nodes;
using Reproduce.Core.Stages;
using Reproduce.Learning.Probing;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Probing;

/// <summary>
/// The probes against PyTorch on a small seeded problem (tests/fixtures/probes/reference.json, written by the
/// make_reference.py beside it): the logistic-regression optimum found by PyTorch's L-BFGS with a strong-Wolfe line
/// search, and the InstDisc weighted kNN computed in PyTorch.
/// </summary>
public sealed class ProbeReferenceTests
{
    private static readonly JsonNode Reference = JsonNode.Parse(File.ReadAllText(ReferencePath()))!;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void LogisticRegressionReachesPyTorchsOptimum(int index)
    {
        using var scope = NewDisposeScope();
        var expected = Reference["logistic"]![index]!;
        var penalty = expected["penalty"]!.GetValue<double>();

        using var head = LogisticRegression.Fit(Matrix("features", 5), Labels("labels"), 3, penalty);

        Assert.Equal(expected["loss"]!.GetValue<double>(), head.Loss, 1e-9);
        Assert.True(head.Iterations < LogisticRegression.MaxIterations, $"{head.Iterations} iterations");
        AssertClose(Values(expected["weight"]!), head.Weight.flatten(), 1e-4);
        AssertClose(Values(expected["bias"]!), head.Bias, 1e-4);
        AssertClose(Values(expected["query_probabilities"]!), head.Probabilities(Matrix("queries", 5)).flatten(), 1e-5);
    }

    [Fact]
    public void WeightedKnnVotesAsPyTorchComputesIt()
    {
        using var scope = NewDisposeScope();
        var features = Matrix("features", 5);
        var labels = Labels("labels");

        var probabilities = WeightedKnn.Probabilities(features, labels, Matrix("queries", 5), 3);

        AssertClose(Values(Reference["knn_k20"]!), probabilities.flatten(), 1e-5);
        Assert.True(probabilities.sum(1).sub(1).abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void WithFewerTrainingImagesThanNeighboursEveryOneVotes()
    {
        using var scope = NewDisposeScope();

        var probabilities = WeightedKnn.Probabilities(Matrix("features", 5)[..8], Labels("labels")[..8], Matrix("queries", 5), 3);

        AssertClose(Values(Reference["knn_first8_k20"]!), probabilities.flatten(), 1e-5);
    }

    [Fact]
    public void TheLinearProbeKeepsThePenaltyWithTheBestValidationAccuracy()
    {
        using var scope = NewDisposeScope();
        var features = Matrix("features", 5);
        var labels = Labels("labels");
        var queries = Matrix("queries", 5);
        var queryLabels = Labels("query_labels");

        var result = LinearProbe.Run(features, labels, queries, queryLabels, queries, 3);

        Assert.Equal(LinearProbe.Penalties, result.Candidates.Select(c => c.Penalty));
        var best = result.Candidates.Max(c => c.ValidationAccuracy);
        var chosen = Assert.Single(result.Candidates, c => c.Penalty == result.Penalty);
        Assert.Equal(best, chosen.ValidationAccuracy);
        Assert.Equal(chosen.ValidationLoss, result.Candidates.Where(c => c.ValidationAccuracy == best).Min(c => c.ValidationLoss));
        // The chosen head's test predictions are its validation predictions here: the same images.
        var accuracy = result.TestProbabilities.argmax(1).eq(queryLabels).to_type(ScalarType.Float64).mean().item<double>();
        Assert.Equal(chosen.ValidationAccuracy, accuracy, 12);
        Assert.Equal([15L, 3L], result.TestProbabilities.shape);
    }

    [Fact]
    public void TheLinearProbeIgnoresAFeatureThatNeverVaries()
    {
        using var scope = NewDisposeScope();
        var features = Matrix("features", 5);
        var padded = cat([features, zeros(features.shape[0], 1, dtype: features.dtype)], 1);
        var queries = Matrix("queries", 5);
        var paddedQueries = cat([queries, ones(queries.shape[0], 1, dtype: queries.dtype)], 1);

        var plain = LinearProbe.Run(features, Labels("labels"), queries, Labels("query_labels"), queries, 3);
        var withConstant = LinearProbe.Run(padded, Labels("labels"), paddedQueries, Labels("query_labels"), paddedQueries, 3);

        Assert.Equal(plain.Penalty, withConstant.Penalty);
        AssertClose(plain.TestProbabilities.flatten(), withConstant.TestProbabilities.flatten(), 1e-6);
    }

    private static Tensor Matrix(string name, int columns) => Values(Reference[name]!).view(-1, columns);

    private static Tensor Labels(string name) => tensor(Reference[name]!.AsArray().Select(v => v!.GetValue<long>()).ToArray());

    private static Tensor Values(JsonNode array) => tensor(array.AsArray().Select(v => v!.GetValue<double>()).ToArray());

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        var difference = expected.to_type(ScalarType.Float64).sub(actual.to_type(ScalarType.Float64)).abs().max().item<double>();
        Assert.True(difference <= tolerance, $"largest difference {difference:G3} over {tolerance:G3}");
    }

    private static string ReferencePath()
    {
        var path = Path.Combine(Roots.FindRepositoryRoot(AppContext.BaseDirectory), "tests", "fixtures", "probes", "reference.json");
        Assert.True(File.Exists(path), $"fixture {path} is missing: the tests need the files under tests/fixtures in the repository");
        return path;
    }
}
