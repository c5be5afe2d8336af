namespace Reproduce.Evaluation.Statistics;

/// <summary>The differences x[i] − y[i] of two paired samples.</summary>
public static class PairedDifferences
{
    public static IReadOnlyList<double> Of(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"paired samples need the same length ({x.Count} and {y.Count})", nameof(y));
        }

        return [.. x.Zip(y, (a, b) => a - b)];
    }
}
