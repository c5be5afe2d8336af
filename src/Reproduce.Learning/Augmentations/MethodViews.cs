using Reproduce.Core.Manifests;

namespace Reproduce.Learning.Augmentations;

/// <summary>
/// Each pre-training method's views, in the order the method consumes them, for the manifest's
/// <c>augmentation</c> choice: <c>reference</c>, the method's own pipeline (METHODS.md), or
/// <c>ct</c>, the authors' pipeline for that method (PROTOCOL.md §5).
/// </summary>
/// <remarks>
/// RandomGrayscale(0.2), part of every contrastive pipeline, is left out: on a gray slice it is the
/// identity (METHODS.md §0.4). ToTensor is the caller's division by 255. Every view ends by
/// replicating gray to the network's channels and normalising per channel.
/// </remarks>
public static class MethodViews
{
    public const string Reference = "reference";
    public const string Ct = "ct";

    /// <summary>SwAV's small crops are 96 px at 224 (DESIGN.md §7 "Benchmarks").</summary>
    private const double SmallCropShare = 96.0 / 224.0;

    /// <summary>
    /// The views of <paramref name="spec"/>'s method at crop side <paramref name="imageSize"/> for a
    /// network with <paramref name="channels"/> (1 or 3) input channels. BYOL: view 1, view 2;
    /// MoCo v2: query, key; SwAV: the large crops, then the small ones; SparK: one view.
    /// </summary>
    public static IReadOnlyList<ViewPipeline> Create(MethodSpec spec, int imageSize, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageSize);
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "the network input has 1 or 3 channels (METHODS.md §0.3)");
        }

        var ct = spec.Choice("augmentation") switch
        {
            Reference => false,
            Ct => true,
            var other => throw new ArgumentException($"{spec.Id}: unknown augmentation '{other}' (expected {Reference} or {Ct})", nameof(spec)),
        };
        return spec.Id switch
        {
            "byol" when ct => [AuthorsCtView("byol view 1", imageSize, channels), AuthorsCtView("byol view 2", imageSize, channels)],
            "byol" => [ByolView("byol view 1", imageSize, channels, blurProbability: 1.0, solarizeProbability: 0.0),
                       ByolView("byol view 2", imageSize, channels, blurProbability: 0.1, solarizeProbability: 0.2)],
            "mocov2" when ct => [AuthorsCtView("mocov2 query", imageSize, channels), AuthorsCtView("mocov2 key", imageSize, channels)],
            "mocov2" => [MoCoView("mocov2 query", imageSize, channels), MoCoView("mocov2 key", imageSize, channels)],
            "swav" => SwAVViews(spec, imageSize, channels, ct),
            "spark" => [SparKView(imageSize, channels, spec.Real("min_scale"), ct)],
            _ => throw new ArgumentException($"no augmentation views for method '{spec.Id}'", nameof(spec)),
        };
    }

    /// <summary>BYOL's asymmetric views (METHODS.md §2.2); the two differ in blur and solarisation only.</summary>
    private static ViewPipeline ByolView(string name, int size, int channels, double blurProbability, double solarizeProbability) =>
        new(name, size, channels,
        [
            new RandomResizedCrop(size, 0.08, 1.0, ResizeInterpolation.Bicubic),
            RandomFlip.Horizontal(0.5),
            new RandomApply(new ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.2, hue: 0.1), 0.8),
            new RandomApply(new GaussianBlur(0.1, 2.0), blurProbability),
            new RandomApply(new Solarize(), solarizeProbability),
            // BYOL's closing clip to [0, 1] has nothing to do: every step above stays in range.
            new ReplicateChannels(channels),
            Normalize.ImageNet(channels),
        ]);

    /// <summary>MoCo v2 "aug+" (METHODS.md §3.2): query and key are drawn i.i.d. from it.</summary>
    private static ViewPipeline MoCoView(string name, int size, int channels) =>
        new(name, size, channels,
        [
            new RandomResizedCrop(size, 0.2, 1.0, ResizeInterpolation.Bilinear),
            new RandomApply(new ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1), 0.8),
            new RandomApply(new GaussianBlur(0.1, 2.0), 0.5),
            RandomFlip.Horizontal(0.5),
            new ReplicateChannels(channels),
            Normalize.ImageNet(channels),
        ]);

    /// <summary>
    /// The authors' MoCo v2 pipeline, which their BYOL uses for both views too (PROTOCOL.md §5,
    /// <c>moco_data_module.py</c>, <c>logo_data_module.py</c>). Their Grayscale(3) comes first, so
    /// the noise is drawn per channel: replication precedes it here.
    /// </summary>
    private static ViewPipeline AuthorsCtView(string name, int size, int channels) =>
        new(name, size, channels,
        [
            new RandomApply(new RandomRotation(180), 0.5),
            new RandomResizedCrop(size, 0.2, 1.0, ResizeInterpolation.Bilinear),
            // Not inside a RandomApply: the authors jitter every view.
            new ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1),
            new RandomApply(new GaussianBlur(0.1, 2.0), 0.5),
            RandomFlip.Horizontal(0.5),
            RandomFlip.Vertical(0.5),
            new ReplicateChannels(channels),
            new RandomApply(new GaussianNoise(1e-5, 1e-4), 0.5),
            Normalize.Ct(channels),
        ]);

    /// <summary>
    /// SwAV multi-crop (METHODS.md §4.2; the authors' <c>multicropdataset.py</c> for <c>ct</c>):
    /// <c>crops[i]</c> crops of side <c>sizes[i]</c> with scale in [<c>min_scale[i]</c>, <c>max_scale[i]</c>].
    /// The authors' version jitters less (0.4, 0.4, 0.2, 0.2), has the flip commented out and
    /// normalises with the CT statistics.
    /// </summary>
    private static List<ViewPipeline> SwAVViews(MethodSpec spec, int imageSize, int channels, bool ct)
    {
        var crops = spec.Integers("crops");
        var minScales = spec.Reals("min_scale");
        var maxScales = spec.Reals("max_scale");
        if (crops.Count != 2 || minScales.Count != 2 || maxScales.Count != 2)
        {
            throw new ArgumentException(
                $"swav: crops, min_scale and max_scale need one entry per resolution (large, small), got {crops.Count}, {minScales.Count} and {maxScales.Count}",
                nameof(spec));
        }

        int[] sizes = [imageSize, (int)Math.Round(imageSize * SmallCropShare)];
        var views = new List<ViewPipeline>();
        for (var resolution = 0; resolution < sizes.Length; resolution++)
        {
            var size = sizes[resolution];
            var crop = new RandomResizedCrop(size, minScales[resolution], maxScales[resolution], ResizeInterpolation.Bilinear);
            IImageTransform[] transforms = ct
                ?
                [
                    crop,
                    new RandomApply(new ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.2, hue: 0.2), 0.8),
                    new RandomApply(new GaussianBlur(0.1, 2.0), 0.5),
                    new ReplicateChannels(channels),
                    Normalize.Ct(channels),
                ]
                :
                [
                    crop,
                    RandomFlip.Horizontal(0.5),
                    new RandomApply(new ColorJitter(brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2), 0.8),
                    new RandomApply(new GaussianBlur(0.1, 2.0), 0.5),
                    new ReplicateChannels(channels),
                    Normalize.SwAVImageNet(channels),
                ];
            for (var k = 0; k < crops[resolution]; k++)
            {
                views.Add(new ViewPipeline($"swav {size} px crop {k + 1}", size, channels, transforms));
            }
        }

        return views;
    }

    /// <summary>
    /// SparK's single view (METHODS.md §1.1), which the authors kept (PROTOCOL.md §5); <c>ct</c>
    /// swaps the ImageNet statistics for the CT ones.
    /// </summary>
    private static ViewPipeline SparKView(int size, int channels, double minScale, bool ct) =>
        new("spark view", size, channels,
        [
            new RandomResizedCrop(size, minScale, 1.0, ResizeInterpolation.Bicubic),
            RandomFlip.Horizontal(0.5),
            new ReplicateChannels(channels),
            ct ? Normalize.Ct(channels) : Normalize.ImageNet(channels),
        ]);
}
