using static TorchSharp.torch;

namespace Reproduce.Learning.Probing;

/// <summary>
/// The linear probe of frozen features: standardised with the training set's mean and standard deviation, a
/// <see cref="LogisticRegression"/> head fitted on the training set for each penalty of <see cref="Penalties"/>, and the
/// one with the best validation accuracy kept (a tie goes to the lower validation cross-entropy, then to the larger
/// penalty), as SSL benchmarks choose the head's regularisation on held-out data rather than on the test set.
/// </summary>
public static class LinearProbe
{
    /// <summary>λ of the mean-loss objective: scikit-learn's C = 1 / (λ·N), a decade apart, from nearly free to strong.</summary>
    public static readonly IReadOnlyList<double> Penalties = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1];

    /// <summary>One penalty's validation result.</summary>
    public sealed record Candidate(double Penalty, double ValidationAccuracy, double ValidationLoss, int Iterations);

    /// <summary>The chosen head's test probabilities (N, K) float64 (the caller disposes them), and every candidate.</summary>
    public sealed record Result(double Penalty, Tensor TestProbabilities, IReadOnlyList<Candidate> Candidates);

    public static Result Run(Tensor trainFeatures, Tensor trainLabels, Tensor validationFeatures, Tensor validationLabels, Tensor testFeatures, int classes)
    {
        using var scope = NewDisposeScope();
        var train = trainFeatures.to_type(ScalarType.Float64);
        var mean = train.mean([0], keepdim: true);
        // A feature constant over the training set (a dead ReLU channel) stays 0 rather than dividing by 0.
        var std = train.std(0, unbiased: false, keepdim: true).clamp_min(1e-8);
        Tensor Standardise(Tensor features) => features.to_type(ScalarType.Float64).sub(mean).div(std);

        var x = Standardise(trainFeatures);
        var validation = Standardise(validationFeatures);
        var validationTargets = validationLabels.to_type(ScalarType.Int64);
        var candidates = new List<Candidate>();
        LogisticRegression? best = null;
        Candidate? chosen = null;
        foreach (var penalty in Penalties)
        {
            var head = LogisticRegression.Fit(x, trainLabels, classes, penalty);
            using var probabilities = head.Probabilities(validation);
            var accuracy = probabilities.argmax(1).eq(validationTargets).to_type(ScalarType.Float64).mean().item<double>();
            var loss = -probabilities.clamp_min(1e-300).log().gather(1, validationTargets.unsqueeze(1)).mean().item<double>();
            var candidate = new Candidate(penalty, accuracy, loss, head.Iterations);
            candidates.Add(candidate);
            // Penalties rise through the list, so >= on a full tie keeps the larger one.
            if (chosen is null || accuracy > chosen.ValidationAccuracy || (accuracy == chosen.ValidationAccuracy && loss <= chosen.ValidationLoss))
            {
                best?.Dispose();
                (best, chosen) = (head, candidate);
            }
            else
            {
                head.Dispose();
            }
        }

        using (best)
        {
            var test = best!.Probabilities(Standardise(testFeatures)).MoveToOuterDisposeScope();
            return new Result(chosen!.Penalty, test, candidates);
        }
    }
}
