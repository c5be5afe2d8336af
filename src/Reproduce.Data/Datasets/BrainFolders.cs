using System.Globalization;
using System.Text;
using CsvHelper;
using Reproduce.Core.Errors;
using Reproduce.Core.Randomness;
using Reproduce.Data.Images;
using Reproduce.Data.Splits;
using Reproduce.Data.Store;

namespace Reproduce.Data.Datasets;

/// <summary>
/// The Brain task's images in one of two layouts: the authors' class folders
/// <c>{train,test}/{a_without,b_with}</c> (no official validation set: the protocol draws it from
/// train), or the Kaggle "Head CT – hemorrhage" stand-in (<c>head_ct/NNN.png</c> and <c>labels.csv</c>),
/// which has no split at all: a fixed 15 images per class, chosen once by a constant seed, are its
/// test set, mirroring the authors' 170 / 29 train / test (a deviation the paper manifest lists).
/// Labels: 0 without, 1 with hemorrhage.
/// </summary>
public sealed class BrainFolders : RawDataset
{
    /// <summary>Images per class in the Kaggle stand-in's fixed test set.</summary>
    public const int KaggleTestPerClass = 15;

    private const int BatchSize = 1024;

    /// <summary>
    /// Kaggle's <c>labels.csv</c> as it is published: a comma, spaces around the fields (<c>id, hemorrhage</c>), blank
    /// lines ignored. A line break never belongs inside a field, so one stray quote cannot swallow the rest of the file.
    /// </summary>
    private static readonly CsvReaderOptions KaggleLabelsCsv = CsvReaderOptions.Default with
    {
        Separator = ',',
        HasHeader = false,
        TrimWhitespace = true,
        SkipEmptyLines = true,
        AllowLineBreaksInQuotes = false,
        TrackLineNumbers = true,
    };

    private readonly List<RawItem> items;
    private readonly List<SkippedItem> skipped;

    private BrainFolders(string directory, List<RawItem> items, List<SkippedItem> skipped)
        : base(directory)
    {
        this.items = items;
        this.skipped = skipped;
    }

    public override IReadOnlyList<string> Classes => DatasetClasses.Brain;

    public override IReadOnlyList<SkippedItem> Skipped => skipped;

    public static BrainFolders Open(string directory)
    {
        if (File.Exists(Path.Combine(directory, RawLayouts.KaggleLabels)))
        {
            return Kaggle(directory);
        }

        var items = new List<RawItem>();
        foreach (var split in RawLayouts.BrainSplitFolders)
        {
            foreach (var (folder, label) in new[] { (RawLayouts.BrainNegativeFolder, 0), (RawLayouts.BrainPositiveFolder, 1) })
            {
                var path = Path.Combine(directory, split, folder);
                if (!System.IO.Directory.Exists(path))
                {
                    throw new DataFormatException(directory, $"no {split}/{folder} folder: expected the authors' layout {{train,test}}/{{a_without,b_with}} or the Kaggle layout {RawLayouts.KaggleImageFolder}/ + {RawLayouts.KaggleLabels}");
                }

                items.AddRange(System.IO.Directory.EnumerateFiles(path).Order(StringComparer.Ordinal).Select(file =>
                {
                    var source = Path.GetRelativePath(directory, file).Replace('\\', '/');
                    return new RawItem(source, label, split == "train" ? OfficialSplit.Train : OfficialSplit.Test, source);
                }));
            }
        }

        return new BrainFolders(directory, items, []);
    }

    public override IEnumerable<RawBatch> Batches() => items.Chunk(BatchSize).Select(chunk => new RawBatch(chunk));

    public override SourceImage Load(RawItem item) => new GraySource(ImageDecoder.DecodeGray(PathOf(item)));

    /// <summary>The Kaggle layout: <c>labels.csv</c> (header <c>id, hemorrhage</c>) names <c>head_ct/%03d.png</c>.</summary>
    private static BrainFolders Kaggle(string directory)
    {
        var csv = Path.Combine(directory, RawLayouts.KaggleLabels);
        var labelled = new List<(string Source, int Label)>();
        var skipped = new List<SkippedItem>();
        using (var labels = CsvReader.FromFile(csv, KaggleLabelsCsv))
        {
            if (!labels.Read() || labels.FieldCount != 2 || labels.GetString(0) != "id" || labels.GetString(1) != "hemorrhage")
            {
                throw new DataFormatException(csv, "line 1: expected the header 'id, hemorrhage'");
            }

            while (labels.Read())
            {
                if (labels.FieldCount != 2
                    || !int.TryParse(labels.GetString(0), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                    || labels.GetString(1) is not ("0" or "1"))
                {
                    throw new DataFormatException(csv, $"line {labels.LineNumber}: expected '<id>, <0 or 1>', found '{Encoding.UTF8.GetString(labels.RawRecord)}'");
                }

                var source = string.Create(CultureInfo.InvariantCulture, $"{RawLayouts.KaggleImageFolder}/{id:D3}.png");
                if (File.Exists(Path.Combine(directory, source)))
                {
                    labelled.Add((source, labels.GetString(1) == "1" ? 1 : 0));
                }
                else
                {
                    skipped.Add(new SkippedItem(source, $"listed in {RawLayouts.KaggleLabels} line {labels.LineNumber}, but the file is missing"));
                }
            }
        }

        var test = new HashSet<string>(StringComparer.Ordinal);
        var generator = SplitMix64.For(0, "kaggle-head-ct/test-split");
        foreach (var group in labelled.GroupBy(l => l.Label).OrderBy(g => g.Key))
        {
            var members = group.Select(g => g.Source).Order(StringComparer.Ordinal).ToList();
            generator.Shuffle(members);
            test.UnionWith(members.Take(KaggleTestPerClass));
        }

        var items = labelled
            .Select(l => new RawItem(l.Source, l.Label, test.Contains(l.Source) ? OfficialSplit.Test : OfficialSplit.Train, l.Source))
            .OrderBy(i => i.Split).ThenBy(i => i.Source, StringComparer.Ordinal)
            .ToList();
        return new BrainFolders(directory, items, skipped);
    }
}
