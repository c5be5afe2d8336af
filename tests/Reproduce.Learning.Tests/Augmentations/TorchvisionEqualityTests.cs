using System.Globalization;
using Reproduce.Core.Stages;
using Reproduce.Data.Arrays;
using Reproduce.Learning.Augmentations;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Augmentations;

/// <summary>
/// Each view op, given the parameters torchvision's <c>get_params</c> could have drawn, against what
/// torchvision 0.14's functional op (and PIL, where the references transform PIL images) made of the same image:
/// <c>tests/fixtures/torchvision/views.npz</c>, written by <c>make_views.py</c> beside it. Differences are in grey
/// levels (1/255 of the [0, 1] range); METHODS.md §0.4 lists which ops agree within one and why the others differ.
/// </summary>
public sealed class TorchvisionEqualityTests(ITestOutputHelper output) : IDisposable
{
    private const double OneGreyLevel = 1.0 / 255;

    /// <summary>What float32 arithmetic in a different order (libtorch 2.10 against torch 1.13) leaves, in [0, 1].</summary>
    private const double FloatRounding = 2e-6;

    /// <summary>
    /// torchvision's tensor grayscale weighs RGB by 0.2989 + 0.587 + 0.114 = 0.9999, so the grayscale of gray replicated
    /// to RGB, and what saturation and contrast compute from it, is off by up to 1e-4 of the range (0.03 grey levels).
    /// </summary>
    private const double GrayscaleWeights = 2e-4;

    private readonly NpzArchive views = NpzArchive.Open(FixturePath());
    private readonly DisposeScope scope = NewDisposeScope();

    public void Dispose()
    {
        scope.Dispose();
        views.Dispose();
    }

    [Fact]
    public void BilinearResizedCropsEqualTorchvisionsOnTensorsWithinFloatRounding()
    {
        var gray = Gray();
        foreach (var (name, box, size, interpolation) in Crops().Where(c => c.Interpolation == ResizeInterpolation.Bilinear))
        {
            AssertWithin(FloatRounding, Float(name + "_tensor"), RandomResizedCrop.ResizedCrop(gray, box, size, interpolation), $"{name} {box} → {size}");
        }
    }

    [Fact]
    public void ResizedCropsEqualTorchvisionsOnPilImagesWithinAGreyLevel()
    {
        var gray = Gray();
        foreach (var (name, box, size, interpolation) in Crops())
        {
            AssertWithin(OneGreyLevel, Pil(name + "_pil"), RandomResizedCrop.ResizedCrop(gray, box, size, interpolation), $"{name} {box} → {size} {interpolation}");
        }
    }

    [Fact]
    public void BicubicResizedCropsEqualTwoTorchvisionPassesClippedInBetweenAsPilDoesWithinFloatRounding()
    {
        var gray = Gray();
        foreach (var (name, box, size, interpolation) in Crops().Where(c => c.Interpolation == ResizeInterpolation.Bicubic))
        {
            AssertWithin(FloatRounding, Float(name + "_clipped"), RandomResizedCrop.ResizedCrop(gray, box, size, interpolation), $"{name} {box} → {size}");
        }
    }

    [Fact]
    public void BicubicResizedCropsDifferFromTorchvisionsOneTensorPassWhereItOvershoots()
    {
        // torchvision leaves a float image's bicubic overshoot in place and clips nothing between the passes; PIL, which
        // the references resize, clips both. This documents that the tensor op is not the one to match.
        var gray = Gray();
        var differences = Crops().Where(c => c.Interpolation == ResizeInterpolation.Bicubic)
            .Select(c => MaxDifference(Float(c.Name + "_tensor"), RandomResizedCrop.ResizedCrop(gray, c.Box, c.Size, c.Interpolation)))
            .ToList();
        output.WriteLine($"bicubic against the tensor op: {string.Join(", ", differences.Select(GreyLevels))} grey levels");
        Assert.All(differences, difference => Assert.True(difference > OneGreyLevel, $"{GreyLevels(difference)} grey levels"));
    }

    [Fact]
    public void FlipsEqualTorchvisionsExactly()
    {
        var gray = Gray();
        var draw = new SampleRandom(0);
        foreach (var name in Cases("flip"))
        {
            var flip = Parameters(name)[0] == 0 ? RandomFlip.Horizontal(1.0) : RandomFlip.Vertical(1.0);
            AssertWithin(0, Float(name + "_tensor"), flip.Apply(gray, draw), name);
        }
    }

    [Fact]
    public void BrightnessAndContrastEqualTorchvisionsWithinFloatRounding()
    {
        var gray = Gray();
        foreach (var name in Cases("brightness"))
        {
            AssertWithin(FloatRounding, Float(name + "_tensor"), ColorJitter.AdjustBrightness(gray, Parameters(name)[0]), name);
        }

        foreach (var name in Cases("contrast"))
        {
            AssertWithin(FloatRounding, Float(name + "_tensor"), ColorJitter.AdjustContrast(gray, Parameters(name)[0]), name);
        }
    }

    [Fact]
    public void ColorJitterWithTorchvisionsDrawsEqualsItsJitterOfGrayReplicatedToRgbWithinItsGrayscaleWeights()
    {
        // fn_idx orders brightness (0), contrast (1), saturation (2) and hue (3); on gray only the first two act, so only
        // their relative order matters. Saturation blends with the (0.9999) grayscale, hue turns a colour that is not there.
        var gray = Gray();
        var replicate = new ReplicateChannels(3);
        foreach (var name in Cases("jitter"))
        {
            var parameters = Parameters(name);
            var order = parameters[..4].Select(p => (int)p).ToList();
            var factors = new ColorJitterFactors(order.IndexOf(0) < order.IndexOf(1), parameters[4], parameters[5]);
            var ours = replicate.Apply(ColorJitter.Apply(gray, factors), new SampleRandom(0));
            AssertWithin(GrayscaleWeights, Float(name + "_tensor"), ours, $"{name} fn_idx [{string.Join(", ", order)}] factors {string.Join(", ", parameters[4..])}");
        }
    }

    [Fact]
    public void ReplicatedGrayEqualsTorchvisionsGrayscaleOfTheReplicatedImage()
    {
        var gray = Gray();
        foreach (var name in Cases("grayscale"))
        {
            var ours = new ReplicateChannels((int)Parameters(name)[0]).Apply(gray, new SampleRandom(0));
            // PIL's integer weights sum to exactly one.
            AssertWithin(GrayscaleWeights, Float(name + "_tensor"), ours, name + " tensor");
            AssertWithin(0, Pil(name + "_pil"), ours, name + " PIL");
        }
    }

    [Fact]
    public void GaussianBlurEqualsTorchvisionsWithKernelSizeTwiceCeilThreeSigmaPlusOneWithinFloatRounding()
    {
        var gray = Gray();
        var matched = Cases("blur").Where(name => Parameters(name)[1] == KernelSize(Parameters(name)[0])).ToList();
        Assert.NotEmpty(matched);
        foreach (var name in matched)
        {
            AssertWithin(FloatRounding, Float(name + "_tensor"), GaussianBlur.Blur(gray, Parameters(name)[0]), $"{name} sigma {Parameters(name)[0]}");
        }
    }

    [Fact]
    public void GaussianBlurEqualsTorchvisionsWithByolsTwentyThreeTapsWithinAGreyLevel()
    {
        // The taps beyond 3σ that ours drops hold at most 0.3% of the kernel's weight at σ ≤ 2.
        var gray = Gray();
        var byol = Cases("blur").Where(name => Parameters(name)[1] == 23).ToList();
        Assert.NotEmpty(byol);
        foreach (var name in byol)
        {
            AssertWithin(OneGreyLevel, Float(name + "_tensor"), GaussianBlur.Blur(gray, Parameters(name)[0]), $"{name} sigma {Parameters(name)[0]}");
        }
    }

    [Fact]
    public void GaussianBlurDiffersFromPilsBoxApproximationByAtMostSixGreyLevelsAndUnderOneOnAverage()
    {
        // PIL's GaussianBlur (MoCo v2's and SwAV's) runs three box filters of a width from the radius and rounds to 8 bits;
        // at σ = 0.1 it still spreads a hard edge, where a true Gaussian hardly moves it.
        var gray = Gray();
        foreach (var name in Cases("pilblur"))
        {
            var pil = Pil(name + "_pil");
            var ours = GaussianBlur.Blur(gray, Parameters(name)[0]);
            var mean = (pil - ours).abs().mean().item<float>();
            output.WriteLine($"{name} radius {Parameters(name)[0]}: max {GreyLevels(MaxDifference(pil, ours))}, mean {GreyLevels(mean)} grey levels");
            AssertWithin((6 * OneGreyLevel) + FloatRounding, pil, ours, name);
            Assert.True(mean < OneGreyLevel, $"{name}: mean difference {GreyLevels(mean)} grey levels");
        }
    }

    [Fact]
    public void SolarizeEqualsTorchvisionsExactlyAtEveryThresholdIncludingValuesOnIt()
    {
        var gray = Gray();
        var edge = Float("edge");
        foreach (var name in Cases("solarize"))
        {
            var solarize = new Solarize(Parameters(name)[0]);
            AssertWithin(0, Float(name + "_tensor"), solarize.Apply(gray, new SampleRandom(0)), name);
            AssertWithin(0, Float(name + "_edge"), solarize.Apply(edge, new SampleRandom(0)), name + " edge");
        }
    }

    [Fact]
    public void SolarizeAtOneHalfEqualsPilsAt128OnEightBitValues()
    {
        var name = Assert.Single(Cases("pilsolarize"));
        Assert.Equal(128, Parameters(name)[0]);
        // 1 − v/255 in float32 against (255 − v)/255: the same 8-bit value, up to float rounding.
        AssertWithin(FloatRounding, Pil(name + "_pil"), new Solarize().Apply(Gray(), new SampleRandom(0)), name);
    }

    [Fact]
    public void NormalizeWithTheRecipesStatisticsEqualsTorchvisionsWithinFloatRounding()
    {
        // The fixture's cases in order: ImageNet, SwAV's ImageNet, CT on 1 and on 3 channels, ImageNet's channel average.
        Normalize[] recipes = [Normalize.ImageNet(3), Normalize.SwAVImageNet(3), Normalize.Ct(1), Normalize.Ct(3), Normalize.ImageNet(1)];
        var names = Cases("normalize");
        Assert.Equal(recipes.Length, names.Count);
        var gray = Gray();
        foreach (var (name, normalize) in names.Zip(recipes))
        {
            var parameters = Parameters(name);
            var channels = (int)parameters[0];
            Assert.Equal(parameters[1..(1 + channels)], normalize.Mean, (a, b) => Math.Abs(a - b) < 1e-12);
            Assert.Equal(parameters[(1 + channels)..], normalize.Std, (a, b) => Math.Abs(a - b) < 1e-12);
            var ours = normalize.Apply(new ReplicateChannels(channels).Apply(gray, new SampleRandom(0)), new SampleRandom(0));
            AssertWithin(FloatRounding, Float(name + "_tensor"), ours, name);
        }
    }

    [Fact]
    public void RotationsEqualTorchvisionsNearestRotateOnTensorsAndPilImagesExceptWhereNearestBreaksATie()
    {
        // Nearest copies one input pixel per output pixel. Where the exact sampling point lies on the edge between two
        // input pixels (every pixel on a diagonal through the centre at 45°, for one), the last bit of each
        // implementation's float arithmetic picks the side; everywhere else the three must copy the same pixel.
        var gray = Gray();
        foreach (var name in Cases("rotate"))
        {
            var angle = Parameters(name)[0];
            var ours = RandomRotation.Rotate(gray, angle);
            var ties = NearestTies(angle, (int)gray.shape[^2], (int)gray.shape[^1]);
            foreach (var kind in new[] { "tensor8", "pil" })
            {
                var theirs = Pil($"{name}_{kind}");
                Assert.Equal(theirs.shape, ours.shape);
                var differing = (theirs - ours).abs().gt(FloatRounding).squeeze(0);
                var untied = differing.logical_and(ties.logical_not()).sum().item<long>();
                output.WriteLine($"{name} {angle}° against {kind}: {differing.sum().item<long>()} of {ours.numel()} pixels differ, {ties.sum().item<long>()} ties, max {GreyLevels(MaxDifference(theirs, ours))} grey levels");
                Assert.True(untied == 0, $"{name} {angle}° against {kind}: {untied} pixels differ without a tie");
            }
        }
    }

    /// <summary>
    /// The output pixels of a rotation by <paramref name="degrees"/> whose exact sampling point (in double, the map
    /// <see cref="RandomRotation.Rotate"/> documents) lies within 1e-3 pixel of an input pixel's edge on either axis.
    /// </summary>
    private static Tensor NearestTies(double degrees, int height, int width)
    {
        var radians = degrees * Math.PI / 180.0;
        var (cos, sin) = (Math.Cos(radians), Math.Sin(radians));
        static bool OnEdge(double coordinate) => Math.Abs(coordinate - Math.Floor(coordinate) - 0.5) < 1e-3;
        var ties = new bool[height * width];
        for (var row = 0; row < height; row++)
        {
            for (var column = 0; column < width; column++)
            {
                // Output pixel centres about the image centre, y down; the inverse map; back to input pixel indices.
                var (x, y) = (column + 0.5 - (width / 2.0), row + 0.5 - (height / 2.0));
                var (u, v) = ((cos * x) - (sin * y) + (width / 2.0) - 0.5, (sin * x) + (cos * y) + (height / 2.0) - 0.5);
                ties[(row * width) + column] = OnEdge(u) || OnEdge(v);
            }
        }

        return tensor(ties, [height, width]);
    }

    [Fact]
    public void ToTensorEqualsTorchvisionsExactly() =>
        AssertWithin(0, Float("totensor_tensor"), ToTensor.FromBytes(Bytes("gray_u8")), "to_tensor");

    private static string FixturePath()
    {
        var path = Path.Combine(Roots.FindRepositoryRoot(AppContext.BaseDirectory), "tests", "fixtures", "torchvision", "views.npz");
        Assert.True(File.Exists(path), $"fixture {path} is missing: it is committed with the repository (make_views.py beside it writes it)");
        return path;
    }

    /// <summary>The gray phantom as the pipeline sees it: the stored 8-bit values divided by 255.</summary>
    private Tensor Gray() => ToTensor.FromBytes(Bytes("gray_u8"));

    private List<(string Name, CropBox Box, int Size, ResizeInterpolation Interpolation)> Crops()
    {
        var crops = Cases("crop").Select(name =>
        {
            var p = Parameters(name).Select(v => (int)v).ToArray();
            return (name, new CropBox(p[0], p[1], p[2], p[3]), p[4], p[5] == 0 ? ResizeInterpolation.Bilinear : ResizeInterpolation.Bicubic);
        }).ToList();
        Assert.Contains(crops, c => c.Item4 == ResizeInterpolation.Bilinear);
        Assert.Contains(crops, c => c.Item4 == ResizeInterpolation.Bicubic);
        return crops;
    }

    /// <summary>The case names of one op (<c>crop_00</c>, <c>crop_01</c>, …), in order; an op without cases fails.</summary>
    private List<string> Cases(string op)
    {
        var names = views.Names.Where(n => n.StartsWith(op + "_", StringComparison.Ordinal) && n.EndsWith("_params", StringComparison.Ordinal))
            .Select(n => n[..^"_params".Length])
            .Where(n => int.TryParse(n[(op.Length + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(names.Count > 0, $"{views.Path} holds no {op} cases");
        return names;
    }

    private double[] Parameters(string name) => views.Read(name + "_params").As<double>().ToArray();

    private Tensor Float(string name)
    {
        var array = views.Read(name);
        return tensor(array.As<float>().ToArray(), [.. array.Shape]);
    }

    private Tensor Bytes(string name)
    {
        var array = views.Read(name);
        return tensor(array.AsBytes().ToArray(), [.. array.Shape]);
    }

    /// <summary>An 8-bit PIL output on the [0, 1] scale.</summary>
    private Tensor Pil(string name) => ToTensor.FromBytes(Bytes(name));

    /// <summary>Asserts the shapes agree and no value differs by more than <paramref name="tolerance"/>; logs the largest difference.</summary>
    private void AssertWithin(double tolerance, Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var difference = MaxDifference(expected, actual);
        output.WriteLine($"{what}: max difference {GreyLevels(difference)} grey levels ({difference:G3})");
        Assert.True(difference <= tolerance, $"{what}: max difference {GreyLevels(difference)} grey levels ({difference:G3}), allowed {tolerance:G3}");
    }

    private static double MaxDifference(Tensor expected, Tensor actual) => (expected - actual).abs().max().item<float>();

    private static string GreyLevels(double difference) => (difference * 255).ToString("0.####", CultureInfo.InvariantCulture);

    private static int KernelSize(double sigma) => (2 * (int)Math.Max(1, Math.Ceiling(3 * sigma))) + 1;
}
