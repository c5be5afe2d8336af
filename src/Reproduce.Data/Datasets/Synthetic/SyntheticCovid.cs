using System.Globalization;
using System.Text;
using Reproduce.Core.Manifests;
using Reproduce.Core.Randomness;
using Reproduce.Core.Stages;
using Reproduce.Data.Datasets;
using Reproduce.Data.Images;

namespace Reproduce.Data.Datasets.Synthetic;

/// <summary>
/// The COVID-CT stand-in: chest phantoms (COVID with faint ground-glass opacities) through a lung window,
/// as images of varied, mostly non-square sizes (0.8–1.6 × the spec's size per side, the phantom letterboxed
/// in black) under <c>Images-processed/CT_COVID</c> (inside a top folder, as an unpacked zip may leave them) and
/// <c>Images-processed/CT_NonCOVID</c>, with the official-style split lists. The file mix follows the real
/// set (DATASETS.md §A2): COVID mostly RGBA and RGB PNG, some gray PNG and JPEG files named .png; NonCOVID RGB
/// PNG and baseline JPEG of three or one component; file names with <c>%</c>. Progressive JPEG, common among
/// the real NonCOVID files, is missing: Skia cannot write it. About 47% of each split is COVID.
/// </summary>
internal static class SyntheticCovid
{
    private sealed record FileKind(ImageEncoding Encoding, string Extension, double Weight);

    /// <summary>The first image of a class takes the first kind, and so on, so small sets hold every kind; later ones draw by weight.</summary>
    private static readonly IReadOnlyList<FileKind> CovidKinds =
    [
        new(ImageEncoding.PngRgba, ".png", 0.50),
        new(ImageEncoding.JpegRgb, ".png", 0.10),
        new(ImageEncoding.PngRgb, ".png", 0.34),
        new(ImageEncoding.PngGray, ".png", 0.06),
    ];

    private static readonly IReadOnlyList<FileKind> NonCovidKinds =
    [
        new(ImageEncoding.PngRgb, ".png", 0.49),
        new(ImageEncoding.JpegRgb, ".jpg", 0.41),
        new(ImageEncoding.JpegGray, ".jpg", 0.10),
    ];

    private const double CovidShare = 0.47;

    /// <summary>The COVID images sit one folder deeper, as in a zip holding a top folder; the reader finds them by name.</summary>
    private const string CovidTopFolder = "CT_COVID";

    public static void Write(SyntheticSpec spec, long seed, string root, ICellProgress progress)
    {
        int[] splitSizes =
        [
            SyntheticDatasets.Required(spec.Train, "train", Identifiers.Covid, 1),
            SyntheticDatasets.Required(spec.Validation, "validation", Identifiers.Covid, 0),
            SyntheticDatasets.Required(spec.Test, "test", Identifiers.Covid, 1),
        ];
        var covidFolder = SyntheticDatasets.CreateFolder(root, Path.Combine(RawLayouts.CovidImagesFolder, RawLayouts.CovidPositiveFolder, CovidTopFolder));
        var nonCovidFolder = SyntheticDatasets.CreateFolder(root, Path.Combine(RawLayouts.CovidImagesFolder, RawLayouts.CovidNegativeFolder));
        var total = splitSizes.Sum();
        var done = 0;
        var (covidIndex, nonCovidIndex) = (0, 0);
        for (var s = 0; s < splitSizes.Length; s++)
        {
            var covid = (int)Math.Round(CovidShare * splitSizes[s]);
            if (splitSizes[s] >= 2)
            {
                covid = Math.Clamp(covid, 1, splitSizes[s] - 1);
            }

            var covidNames = new List<string>();
            var nonCovidNames = new List<string>();
            for (var i = 0; i < splitSizes[s]; i++)
            {
                var positive = i < covid;
                var index = positive ? covidIndex++ : nonCovidIndex++;
                var name = WriteImage(spec.Size, seed, positive, index, positive ? covidFolder : nonCovidFolder);
                (positive ? covidNames : nonCovidNames).Add(name);
                progress.Report(++done, total, "images");
            }

            WriteList(root, RawLayouts.CovidSplitList(covid: true, RawLayouts.CovidSplits[s]), covidNames);
            WriteList(root, RawLayouts.CovidSplitList(covid: false, RawLayouts.CovidSplits[s]), nonCovidNames);
        }
    }

    /// <summary>Draws, encodes and writes one image; returns its file name.</summary>
    private static string WriteImage(int size, long seed, bool covid, int index, string folder)
    {
        var random = SyntheticDatasets.Random(seed, Identifiers.Covid, $"{(covid ? "covid" : "noncovid")}/{index}");
        var kinds = covid ? CovidKinds : NonCovidKinds;
        var kind = index < kinds.Count ? kinds[index] : Draw(kinds, random);
        var width = (int)Math.Round(size * (0.8 + (0.8 * random.NextDouble())));
        var height = (int)Math.Round(size * (0.8 + (0.8 * random.NextDouble())));
        var side = Math.Min(width, height);
        var chest = HuWindow.Lung.Apply(Phantoms.Chest(side, random, groundGlass: covid, lungScale: 0.85 + (0.15 * random.NextDouble())), side);
        var name = FileName(covid, index, kind, random);
        var image = Letterbox(chest, width, height);
        File.WriteAllBytes(Path.Combine(folder, name), ImageEncoder.Encode(image, kind.Encoding));
        return name;
    }

    /// <summary>The square phantom centred on a black canvas of the figure's size, as paper figures crop scans.</summary>
    private static GrayImage Letterbox(GrayImage square, int width, int height)
    {
        var pixels = new byte[width * height];
        var (left, top) = ((width - square.Width) / 2, (height - square.Height) / 2);
        for (var y = 0; y < square.Height; y++)
        {
            square.Pixels.AsSpan(y * square.Width, square.Width).CopyTo(pixels.AsSpan(((top + y) * width) + left));
        }

        return new GrayImage(width, height, pixels);
    }

    /// <summary>
    /// Names in the real set's styles: medRxiv figure crops (<c>2020.02.25.20021568-p24-111%7.png</c>) for COVID,
    /// plain numbers with a <c>%</c> index (<c>84%3.jpg</c>) for NonCOVID. The class index keeps every name unique.
    /// </summary>
    private static string FileName(bool covid, int index, FileKind kind, SplitMix64 random)
    {
        if (!covid)
        {
            return kind.Extension == ".jpg"
                ? string.Create(CultureInfo.InvariantCulture, $"{index}%{random.NextInt(10)}{kind.Extension}")
                : string.Create(CultureInfo.InvariantCulture, $"{index}{kind.Extension}");
        }

        var paper = string.Create(CultureInfo.InvariantCulture, $"2020.{2 + (index % 3):D2}.{10 + (index % 19):D2}.{20021568 + (7 * index)}-p{1 + random.NextInt(30)}");
        return (index % 3) switch
        {
            0 => string.Create(CultureInfo.InvariantCulture, $"{paper}-{100 + random.NextInt(90)}%{random.NextInt(10)}{kind.Extension}"),
            1 => string.Create(CultureInfo.InvariantCulture, $"{paper}-{10 + random.NextInt(90)}{kind.Extension}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{paper}-{10 + random.NextInt(90)}-{1 + random.NextInt(4)}{kind.Extension}"),
        };
    }

    private static FileKind Draw(IReadOnlyList<FileKind> kinds, SplitMix64 random)
    {
        var target = random.NextDouble() * kinds.Sum(k => k.Weight);
        foreach (var kind in kinds)
        {
            target -= kind.Weight;
            if (target < 0)
            {
                return kind;
            }
        }

        return kinds[^1];
    }

    /// <summary>One file name per line, each ended by LF, as the official lists are.</summary>
    private static void WriteList(string root, string relative, IEnumerable<string> names)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Concat(names.Select(name => name + "\n")), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }
}
