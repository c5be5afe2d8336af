using Reproduce.Core.Manifests;
using Reproduce.Data.Datasets;
using Reproduce.Data.Images;
using Reproduce.Data.Tests.Images;

namespace Reproduce.Data.Tests.Synthetic;

/// <summary>
/// The COVID-CT stand-in has the repository's layout and split lists, the real set's mix of PNG colour types
/// and JPEG files (some named .png), '%' in file names and varied sizes; everything listed exists and decodes,
/// and the COVID images carry the ground-glass finding.
/// </summary>
public sealed class SyntheticCovidTests(SyntheticCovidTests.Written written) : IClassFixture<SyntheticCovidTests.Written>
{
    private const int Size = 32;
    private static readonly SyntheticSpec Spec = new() { Size = Size, Train = 12, Validation = 3, Test = 6 };

    private readonly string root = written.Folder.Path;

    public sealed class Written : IDisposable
    {
        public TempFolder Folder { get; } = SyntheticTestSupport.Write(Identifiers.Covid, Spec);

        public void Dispose() => Folder.Dispose();
    }

    [Fact]
    public void TheSplitListsHoldTheSpecsCountsWithAboutFortySevenPercentCovid()
    {
        int[] totals = [Spec.Train!.Value, Spec.Validation!.Value, Spec.Test!.Value];
        for (var s = 0; s < 3; s++)
        {
            var covid = List(true, RawLayouts.CovidSplits[s]);
            var nonCovid = List(false, RawLayouts.CovidSplits[s]);
            Assert.Equal(totals[s], covid.Count + nonCovid.Count);
            Assert.InRange(covid.Count, (int)Math.Floor(0.4 * totals[s]), (int)Math.Ceiling(0.55 * totals[s]));
        }
    }

    [Fact]
    public void ListsAreLfTerminatedLinesAndEveryListedNameIsOneImageBelowItsClassFolder()
    {
        foreach (var covid in new[] { true, false })
        {
            var listed = RawLayouts.CovidSplits.SelectMany(split => List(covid, split)).ToList();
            var images = Images(covid);
            Assert.Equal(listed.Count, listed.Distinct().Count());
            Assert.Equal(listed.Order(StringComparer.Ordinal), images.Select(Path.GetFileName).Order(StringComparer.Ordinal));
            foreach (var split in RawLayouts.CovidSplits)
            {
                var text = File.ReadAllText(Path.Combine(root, RawLayouts.CovidSplitList(covid, split)));
                Assert.DoesNotContain("\r", text);
                Assert.True(text.Length == 0 || text.EndsWith('\n'));
            }
        }

        // The COVID images sit in a top folder inside CT_COVID, as an unpacked zip may leave them.
        Assert.All(Images(true), path => Assert.Equal("CT_COVID", Path.GetFileName(Path.GetDirectoryName(path))));
    }

    [Fact]
    public void CovidHasRgbaRgbAndGrayPngAndJpegsNamedPng()
    {
        var files = Images(true).Select(File.ReadAllBytes).ToList();

        Assert.All(Images(true), path => Assert.EndsWith(".png", path));
        Assert.Equal([0, 2, 6], files.Where(b => ImageFileHeaders.IsPng(b)).Select(b => ImageFileHeaders.PngHeader(b).ColourType).Distinct().Order());
        Assert.All(files.Where(b => ImageFileHeaders.IsPng(b)), b => Assert.Equal((8, 0), (ImageFileHeaders.PngHeader(b).BitDepth, ImageFileHeaders.PngHeader(b).Interlace)));
        Assert.Contains(files, b => ImageFileHeaders.IsJpeg(b) && ImageFileHeaders.JpegFrame(b) == (0, 3));
    }

    [Fact]
    public void NonCovidHasRgbPngAndBaselineJpegsOfOneAndThreeComponents()
    {
        var files = Images(false).Select(path => (path, File.ReadAllBytes(path))).ToList();

        Assert.All(files.Where(f => ImageFileHeaders.IsPng(f.Item2)), f => Assert.Equal(2, ImageFileHeaders.PngHeader(f.Item2).ColourType));
        Assert.Equal([1, 3], files.Where(f => ImageFileHeaders.IsJpeg(f.Item2)).Select(f => ImageFileHeaders.JpegFrame(f.Item2)).Select(frame => frame.Components).Distinct().Order());
        Assert.All(files, f => Assert.Equal(ImageFileHeaders.IsJpeg(f.Item2) ? ".jpg" : ".png", Path.GetExtension(f.path)));
    }

    [Fact]
    public void BothClassesHaveFileNamesWithAPercentSign()
    {
        Assert.Contains(Images(true), path => Path.GetFileName(path).Contains('%'));
        Assert.Contains(Images(false), path => Path.GetFileName(path).Contains('%'));
        Assert.Contains(Images(true), path => Path.GetFileName(path).StartsWith("2020.", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryImageDecodesAtAVariedMostlyNonSquareSize()
    {
        var sizes = Images(true).Concat(Images(false)).Select(path =>
        {
            var image = ImageDecoder.DecodeGray(path);
            Assert.Equal((image.Width, image.Height), ImageFileHeaders.Size(File.ReadAllBytes(path)));
            Assert.InRange(image.Width, (int)(0.8 * Size), (int)Math.Ceiling(1.6 * Size));
            Assert.InRange(image.Height, (int)(0.8 * Size), (int)Math.Ceiling(1.6 * Size));
            return (image.Width, image.Height);
        }).ToList();

        Assert.True(sizes.Count(s => s.Width != s.Height) > sizes.Count / 2);
        Assert.True(sizes.Distinct().Count() > sizes.Count / 2);
    }

    [Fact]
    public void CovidImagesHoldMoreGroundGlassThanNonCovidImages()
    {
        using var larger = SyntheticTestSupport.Write(Identifiers.Covid, new SyntheticSpec { Size = 48, Train = 40, Validation = 0, Test = 2 }, seed: 11);

        var covid = Images(true, larger.Path).Average(GroundGlassShare);
        var nonCovid = Images(false, larger.Path).Average(GroundGlassShare);

        Assert.True(covid > 1.3 * nonCovid, $"share of pixels between -760 and -410 HU: COVID {covid:F4}, NonCOVID {nonCovid:F4}");

        // In the lung window (WL -600, WW 1500), gray 100-160 is about -760 to -410 HU: denser than lung, lighter than tissue.
        static double GroundGlassShare(string path)
        {
            var image = ImageDecoder.DecodeGray(path);
            var side = Math.Min(image.Width, image.Height);
            return image.Pixels.Count(p => p is >= 100 and <= 160) / (double)(side * side);
        }
    }

    private List<string> List(bool covid, string split) =>
        [.. File.ReadAllText(Path.Combine(root, RawLayouts.CovidSplitList(covid, split))).Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private List<string> Images(bool covid) => Images(covid, root);

    private static List<string> Images(bool covid, string root) =>
        [.. Directory.EnumerateFiles(Path.Combine(root, RawLayouts.CovidImagesFolder, covid ? RawLayouts.CovidPositiveFolder : RawLayouts.CovidNegativeFolder), "*", SearchOption.AllDirectories)];
}
