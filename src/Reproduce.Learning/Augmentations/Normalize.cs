using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Augmentations;

/// <summary>
/// torchvision's Normalize: (x − mean_c) / std_c per channel, with the statistics of the
/// references (ImageNet) or of the authors' CT pipelines (PROTOCOL.md §5).
/// </summary>
public sealed class Normalize : IImageTransform
{
    // The authors' "All Data: Similar" statistics, the same on every channel (PROTOCOL.md §5).
    private const double CtMean = 0.1806;
    private const double CtStd = 0.1907;

    private static readonly double[] ImageNetMean = [0.485, 0.456, 0.406];
    private static readonly double[] ImageNetStd = [0.229, 0.224, 0.225];

    // SwAV's src/multicropdataset.py has 0.228 for the red channel (METHODS.md §0.3); kept as is.
    private static readonly double[] SwAVImageNetStd = [0.228, 0.224, 0.225];

    public Normalize(IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        if (mean.Count == 0 || mean.Count != std.Count)
        {
            throw new ArgumentException($"need one mean and one std per channel, got {mean.Count} and {std.Count}");
        }

        foreach (var deviation in std)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(deviation, nameof(std));
        }

        Mean = [.. mean];
        Std = [.. std];
        // Made once and shared by every call and thread (libtorch reads a tensor concurrently without harm), outside any dispose scope.
        cpuMean = new Lazy<Tensor>(() => PerChannelTensor(Mean));
        cpuStd = new Lazy<Tensor>(() => PerChannelTensor(Std));
    }

    private readonly Lazy<Tensor> cpuMean;
    private readonly Lazy<Tensor> cpuStd;

    public IReadOnlyList<double> Mean { get; }

    public IReadOnlyList<double> Std { get; }

    /// <summary>ImageNet statistics for <paramref name="channels"/> = 3, their channel average for 1.</summary>
    public static Normalize ImageNet(int channels) => new(PerChannel(ImageNetMean, channels), PerChannel(ImageNetStd, channels));

    /// <summary>SwAV's ImageNet statistics, typo included, for 3 channels; their channel average for 1.</summary>
    public static Normalize SwAVImageNet(int channels) => new(PerChannel(ImageNetMean, channels), PerChannel(SwAVImageNetStd, channels));

    /// <summary>The authors' CT statistics on every channel.</summary>
    public static Normalize Ct(int channels) => new(Enumerable.Repeat(CtMean, channels).ToList(), Enumerable.Repeat(CtStd, channels).ToList());

    public Tensor Apply(Tensor image, SampleRandom random)
    {
        var normalised = empty(image.shape, dtype: ScalarType.Float32, device: image.device);
        ApplyInto(image, normalised);
        return normalised;
    }

    /// <summary>Writes (<paramref name="image"/> − mean) / std into <paramref name="destination"/>, of the image's shape.</summary>
    public void ApplyInto(Tensor image, Tensor destination)
    {
        if (image.shape[0] != Mean.Count)
        {
            throw new ArgumentException($"expected {Mean.Count} channels, got shape ({string.Join(", ", image.shape)})", nameof(image));
        }

        if (image.device_type != DeviceType.CPU)
        {
            using var scope = NewDisposeScope();
            destination.copy_(image).sub_(cpuMean.Value.to(image.device)).div_(cpuStd.Value.to(image.device));
            return;
        }

        destination.copy_(image).sub_(cpuMean.Value).div_(cpuStd.Value);
    }

    private static Tensor PerChannelTensor(IReadOnlyList<double> values)
    {
        using var scope = NewDisposeScope();
        return tensor(values.ToArray(), dtype: ScalarType.Float32).reshape(-1, 1, 1).DetachFromDisposeScope();
    }

    /// <summary>
    /// The references normalise RGB; a one-channel network gets the average of the three
    /// statistics, the value a gray image replicated to RGB sees on average (a project choice: no
    /// reference trains on one channel).
    /// </summary>
    private static double[] PerChannel(double[] rgb, int channels) => channels switch
    {
        3 => rgb,
        1 => [rgb.Average()],
        _ => throw new ArgumentOutOfRangeException(nameof(channels), channels, "the reference statistics exist for 1 or 3 channels"),
    };
}
