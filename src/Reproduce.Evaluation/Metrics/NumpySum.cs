namespace Reproduce.Evaluation.Metrics;

/// <summary>
/// Sums and means in NumPy's order of addition, so that averages over classes agree with
/// scikit-learn bit for bit rather than to a rounding error: <c>np.mean</c> and <c>np.average</c>
/// (without weights) reduce a float64 array with NumPy's pairwise summation, starting from the
/// additive identity 0, and divide by the count.
/// </summary>
public static class NumpySum
{
    /// <summary>NumPy's block size: below it, eight interleaved accumulators; above it, halving.</summary>
    private const int BlockSize = 128;

    /// <summary><c>np.mean(values)</c>; the values must not be empty.</summary>
    public static double Mean(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("the mean of no values is not defined", nameof(values));
        }

        return (0.0 + Pairwise(values)) / values.Length;
    }

    /// <summary><c>pairwise_sum</c> of NumPy's <c>loops_utils.h</c>.</summary>
    public static double Pairwise(ReadOnlySpan<double> values)
    {
        var n = values.Length;
        if (n < 8)
        {
            var sum = 0.0;
            foreach (var value in values)
            {
                sum += value;
            }

            return sum;
        }

        if (n <= BlockSize)
        {
            Span<double> partial = stackalloc double[8];
            values[..8].CopyTo(partial);
            var i = 8;
            for (; i < n - (n % 8); i += 8)
            {
                for (var j = 0; j < 8; j++)
                {
                    partial[j] += values[i + j];
                }
            }

            var sum = ((partial[0] + partial[1]) + (partial[2] + partial[3])) + ((partial[4] + partial[5]) + (partial[6] + partial[7]));
            for (; i < n; i++)
            {
                sum += values[i];
            }

            return sum;
        }

        var half = n / 2;
        half -= half % 8;
        return Pairwise(values[..half]) + Pairwise(values[half..]);
    }
}
