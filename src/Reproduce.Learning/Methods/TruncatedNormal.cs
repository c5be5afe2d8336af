using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Methods;

/// <summary>
/// PyTorch's <c>nn.init.trunc_normal_</c> with mean 0 and absolute bounds ±<c>bound</c>: inverse-CDF
/// sampling from the given generator (uniform between the bounds' CDF values, erfinv, ×√2·std, clamp).
/// TorchSharp 0.107's own <c>init.trunc_normal_</c> cannot be used: its native THSInit_trunc_normal_
/// multiplies by the mean and adds the std instead of scaling by √2·std and adding the mean, so it fills
/// the tensor with the constant std.
/// </summary>
internal static class TruncatedNormal
{
    public static void Fill(Tensor parameter, double std, double bound, Generator generator)
    {
        using var noGrad = no_grad();
        var (lower, upper) = (NormalCdf(-bound / std), NormalCdf(bound / std));
        parameter.uniform_((2 * lower) - 1, (2 * upper) - 1, generator).erfinv_().mul_(std * Math.Sqrt(2)).clamp_(-bound, bound);
    }

    private static double NormalCdf(double x)
    {
        using var value = tensor(x, dtype: ScalarType.Float64);
        using var cdf = special.ndtr(value);
        return cdf.item<double>();
    }
}
