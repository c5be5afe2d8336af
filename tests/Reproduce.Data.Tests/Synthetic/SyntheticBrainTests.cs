using Reproduce.Core.Manifests;
using Reproduce.Data.Datasets.Synthetic;
using Reproduce.Data.Images;
using Reproduce.Data.Tests.Images;

namespace Reproduce.Data.Tests.Synthetic;

/// <summary>The Brain stand-in has the authors' class folders of RGB PNGs, half positive, and the bleed is visible in b_with.</summary>
public class SyntheticBrainTests
{
    [Fact]
    public void ImagesAreRgbPngsInTheAuthorsClassFolders()
    {
        using var folder = SyntheticTestSupport.Write(Identifiers.Brain, new SyntheticSpec { Size = 32, Train = 6, Validation = 0, Test = 5 });

        var files = SyntheticTestSupport.Files(folder.Path);
        Assert.Equal(
            [("test/a_without", 3), ("test/b_with", 2), ("train/a_without", 3), ("train/b_with", 3)],
            files.GroupBy(path => Path.GetDirectoryName(path)!).Select(g => (g.Key, g.Count())).Order());
        Assert.All(files, path =>
        {
            Assert.EndsWith(".png", path);
            Assert.Equal((8, 2, 0), ImageFileHeaders.PngHeader(File.ReadAllBytes(folder.Combine(path))));
            var image = ImageDecoder.DecodeGray(folder.Combine(path));
            Assert.Equal((32, 32), (image.Width, image.Height));
        });
    }

    [Fact]
    public void BleedsShowAsHyperdensePixelsInsideTheBrain()
    {
        using var folder = SyntheticTestSupport.Write(Identifiers.Brain, new SyntheticSpec { Size = 64, Train = 40, Validation = 0, Test = 2 });

        var with = Counts(folder.Combine("train/b_with"));
        var without = Counts(folder.Combine("train/a_without"));

        Assert.True(with.Average() > 5 * (without.Average() + 0.1), $"hyperdense pixels: with {with.Average():F1}, without {without.Average():F1}");
        Assert.True(with.Count(c => c >= 3) >= 0.75 * with.Count, string.Join(", ", with));

        // In the brain window (WL 40, WW 80), gray 230+ is 72 HU or more; within 0.28 of the centre the skull never reaches.
        static List<int> Counts(string directory) => [.. Directory.EnumerateFiles(directory).Select(path =>
        {
            var image = ImageDecoder.DecodeGray(path);
            return Enumerable.Range(0, image.Pixels.Length).Count(i =>
            {
                var (dx, dy) = (((i % image.Width) + 0.5) / image.Width - 0.5, ((i / image.Width) + 0.5) / image.Height - 0.5);
                return image.Pixels[i] >= 230 && (dx * dx) + (dy * dy) < 0.28 * 0.28;
            });
        })];
    }

    [Fact]
    public void AValidationCountIsRefusedBecauseBrainHasNoValidationSplit()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<ArgumentException>(() => SyntheticDatasets.Write(Identifiers.Brain, new SyntheticSpec { Size = 32, Train = 4, Validation = 2, Test = 2 }, 1, folder.Path, new RecordingProgress()));

        Assert.Contains("no validation split", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }
}
