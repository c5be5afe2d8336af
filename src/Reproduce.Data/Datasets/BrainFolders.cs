using System.Globalization;
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
        var lines = File.ReadAllLines(csv);
        if (lines.Length == 0 || !lines[0].Split(',').Select(h => h.Trim()).SequenceEqual(["id", "hemorrhage"]))
        {
            throw new DataFormatException(csv, "line 1: expected the header 'id, hemorrhage'");
        }

        var labelled = new List<(string Source, int Label)>();
        var skipped = new List<SkippedItem>();
        for (var n = 1; n < lines.Length; n++)
        {
            if (lines[n].Trim().Length == 0)
            {
                continue;
            }

            var fields = lines[n].Split(',');
            if (fields.Length != 2
                || !int.TryParse(fields[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                || fields[1].Trim() is not ("0" or "1"))
            {
                throw new DataFormatException(csv, $"line {n + 1}: expected '<id>, <0 or 1>', found '{lines[n]}'");
            }

            var source = string.Create(CultureInfo.InvariantCulture, $"{RawLayouts.KaggleImageFolder}/{id:D3}.png");
            if (File.Exists(Path.Combine(directory, source)))
            {
                labelled.Add((source, fields[1].Trim() == "1" ? 1 : 0));
            }
            else
            {
                skipped.Add(new SkippedItem(source, $"listed in {RawLayouts.KaggleLabels} line {n + 1}, but the file is missing"));
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
