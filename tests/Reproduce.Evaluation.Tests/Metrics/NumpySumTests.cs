using Reproduce.Evaluation.Metrics;

namespace Reproduce.Evaluation.Tests.Metrics;

public class NumpySumTests
{
    [Fact]
    public void AddsInNumpysPairwiseOrder()
    {
        // From eight values on, NumPy keeps eight interleaved partial sums: for 1e16, seven 1s, −1e16 and
        // seven 1s they are 1e16 − 1e16 = 0 and 1 + 1 = 2 (seven times), so the sum is 14 (np.sum gives
        // 14.0, np.mean 0.875). Left to right, each 1 added to 1e16 is lost to rounding: 0 + 7 = 7.
        double[] values = [1e16, 1, 1, 1, 1, 1, 1, 1, -1e16, 1, 1, 1, 1, 1, 1, 1];

        Assert.Equal(14.0, NumpySum.Pairwise(values));
        Assert.Equal(0.875, NumpySum.Mean(values));
        Assert.Equal(7.0, values.Aggregate(0.0, (sum, v) => sum + v));
    }

    [Fact]
    public void TheMeanOfNothingIsAnError()
    {
        Assert.Throws<ArgumentException>(() => NumpySum.Mean([]));
    }
}
