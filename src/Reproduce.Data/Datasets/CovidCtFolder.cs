using Reproduce.Core.Errors;
using Reproduce.Data.Images;
using Reproduce.Data.Splits;
using Reproduce.Data.Store;

namespace Reproduce.Data.Datasets;

/// <summary>
/// COVID-CT as its repository lays it out: the two class folders of images and the official
/// <c>Data-split</c> lists. The lists decide what is in the dataset and in which split; a listed name
/// with no file is skipped with its reason, a file no list names is not used (the repository holds
/// such files; the paper's split does not). Images are decoded by content (some ".png" are JPEG).
/// Batches are the official splits; within one, COVID images in list order, then NonCOVID.
/// </summary>
public sealed class CovidCtFolder : RawDataset
{
    private readonly List<SkippedItem> skipped = [];
    private readonly List<RawBatch> batches = [];

    public CovidCtFolder(string directory)
        : base(directory)
    {
        var positives = FilesByName(RawLayouts.CovidPositiveFolder);
        var negatives = FilesByName(RawLayouts.CovidNegativeFolder);
        OfficialSplit[] splits = [OfficialSplit.Train, OfficialSplit.Validation, OfficialSplit.Test];
        var listedIn = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var s = 0; s < splits.Length; s++)
        {
            var items = new List<RawItem>();
            foreach (var covid in new[] { true, false })
            {
                var list = RawLayouts.CovidSplitList(covid, RawLayouts.CovidSplits[s]);
                var files = covid ? positives : negatives;
                var folder = covid ? RawLayouts.CovidPositiveFolder : RawLayouts.CovidNegativeFolder;
                foreach (var name in ReadList(list))
                {
                    var id = $"{folder}/{name}";
                    if (!listedIn.TryAdd(id, list))
                    {
                        skipped.Add(new SkippedItem($"{list}: {name}", $"listed again (first in {listedIn[id]}); an image belongs to one split"));
                    }
                    else if (files.TryGetValue(name, out var source))
                    {
                        items.Add(new RawItem(id, covid ? 1 : 0, splits[s], source));
                    }
                    else
                    {
                        skipped.Add(new SkippedItem($"{list}: {name}", $"listed, but no such file below {RawLayouts.CovidImagesFolder}/{folder}"));
                    }
                }
            }

            batches.Add(new RawBatch(items));
        }
    }

    public override IReadOnlyList<string> Classes => DatasetClasses.Covid;

    public override IReadOnlyList<SkippedItem> Skipped => skipped;

    public override IEnumerable<RawBatch> Batches() => batches;

    public override SourceImage Load(RawItem item) => new GraySource(ImageDecoder.DecodeGray(PathOf(item)));

    /// <summary>Every file below a class folder by file name (ordinal-first path wins if a name repeats), as relative sources.</summary>
    private Dictionary<string, string> FilesByName(string classFolder)
    {
        var root = Path.Combine(Directory, RawLayouts.CovidImagesFolder, classFolder);
        if (!System.IO.Directory.Exists(root))
        {
            throw new DataFormatException(Directory, $"no {RawLayouts.CovidImagesFolder}/{classFolder} folder: not a COVID-CT download");
        }

        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in System.IO.Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            files.TryAdd(Path.GetFileName(file), Path.GetRelativePath(Directory, file).Replace('\\', '/'));
        }

        return files;
    }

    /// <summary>One file name per line; blank lines and surrounding whitespace (CRLF files) ignored.</summary>
    private IEnumerable<string> ReadList(string list)
    {
        var path = Path.Combine(Directory, list);
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, "the official split list is missing");
        }

        return File.ReadLines(path).Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
    }
}
