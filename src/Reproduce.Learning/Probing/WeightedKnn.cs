using static TorchSharp.torch;

namespace Reproduce.Learning.Probing;

/// <summary>
/// The weighted k-nearest-neighbour classifier of InstDisc (Wu et al. 2018) as solo-learn and most SSL libraries report
/// it: features L2-normalised, the k training images of highest cosine similarity s vote for their label with weight
/// exp(s / T), and a class's probability is its share of the votes (what AUC ranks by).
/// </summary>
public static class WeightedKnn
{
    public const int DefaultNeighbours = 20;

    public const double DefaultTemperature = 0.07;

    /// <summary>Queries per similarity block: at most this many × N training similarities exist at once.</summary>
    private const int QueryBlock = 1024;

    /// <summary>Class probabilities (Q, K), float32, of (Q, D) <paramref name="queries"/> against the training set.</summary>
    public static Tensor Probabilities(Tensor trainFeatures, Tensor trainLabels, Tensor queries, int classes, int neighbours = DefaultNeighbours, double temperature = DefaultTemperature)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(neighbours, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        using var scope = NewDisposeScope();
        var train = nn.functional.normalize(trainFeatures.to_type(ScalarType.Float32), dim: 1);
        var labels = trainLabels.to_type(ScalarType.Int64);
        // With fewer training images than k (a 10% fraction of a small task), every image votes.
        var k = (int)Math.Min(neighbours, train.shape[0]);
        var blocks = new List<Tensor>();
        for (long start = 0; start < queries.shape[0]; start += QueryBlock)
        {
            using var block = NewDisposeScope();
            var query = nn.functional.normalize(queries.narrow(0, start, Math.Min(QueryBlock, queries.shape[0] - start)).to_type(ScalarType.Float32), dim: 1);
            var (similarity, index) = query.mm(train.t()).topk(k, dim: 1);
            // Shifting by the row's largest similarity leaves every share the same and keeps exp in range.
            var weights = similarity.sub(similarity[.., 0..1]).div(temperature).exp();
            var votes = zeros(query.shape[0], classes).scatter_add_(1, labels[index], weights);
            blocks.Add(votes.div(votes.sum(1, keepdim: true)).MoveToOuterDisposeScope());
        }

        return (blocks.Count == 0 ? zeros(0, classes) : cat(blocks)).MoveToOuterDisposeScope();
    }
}
