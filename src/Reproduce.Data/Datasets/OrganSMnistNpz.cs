using System.Globalization;
using Reproduce.Core.Errors;
using Reproduce.Data.Arrays;
using Reproduce.Data.Images;
using Reproduce.Data.Splits;
using Reproduce.Data.Store;

namespace Reproduce.Data.Datasets;

/// <summary>
/// OrganSMNIST as MedMNIST ships it: one npz with <c>{train,val,test}_images</c> (N × S × S, uint8)
/// and <c>{train,val,test}_labels</c> (N × 1 or N, any integer dtype, 0–10). The arrays are checked
/// against each other when the file is opened; store order is the file's order (the authors' first-n
/// reduction depends on it). Batches are runs of at most <see cref="BatchSize"/> images.
/// </summary>
public sealed class OrganSMnistNpz : RawDataset
{
    private const int BatchSize = 1024;

    private static readonly (string Name, OfficialSplit Split)[] SplitNames =
        [("train", OfficialSplit.Train), ("val", OfficialSplit.Validation), ("test", OfficialSplit.Test)];

    private readonly string file;
    private readonly Dictionary<string, (NpyArray Images, int[] Labels)> splits = [];

    public OrganSMnistNpz(string directory, int imageSize)
        : base(directory)
    {
        file = RawLayouts.OrganSMnistFile(imageSize);
        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
        {
            throw new DataFormatException(directory, $"no {file}: not an OrganSMNIST download at {imageSize} px");
        }

        using var archive = NpzArchive.Open(path);
        foreach (var (name, _) in SplitNames)
        {
            var images = archive.Read($"{name}_images");
            var labels = archive.Read($"{name}_labels");
            var source = $"{path}!{name}";
            if (images.DType.Kind != NpyKind.Unsigned || images.DType.ItemSize != 1 || images.Shape is not [var count, var height, var width] || height != imageSize || width != imageSize)
            {
                throw new DataFormatException(source, $"{name}_images is {images.DType} {Shape(images)}; expected uint8 (N, {imageSize}, {imageSize})");
            }

            if (labels.DType.Kind == NpyKind.Float || labels.Shape is not ([_] or [_, 1]) || labels.Shape[0] != count)
            {
                throw new DataFormatException(source, $"{name}_labels is {labels.DType} {Shape(labels)}; expected integers (N,) or (N, 1) with N = {count}");
            }

            var values = labels.ToDoubles();
            foreach (var value in values.Where(v => v < 0 || v >= DatasetClasses.OrganSMnist.Count).Take(1))
            {
                throw new DataFormatException(source, $"label {value} is not one of the {DatasetClasses.OrganSMnist.Count} organ classes");
            }

            splits[name] = (images, values.Select(v => (int)v).ToArray());
        }
    }

    public override IReadOnlyList<string> Classes => DatasetClasses.OrganSMnist;

    public override IReadOnlyList<SkippedItem> Skipped => [];

    /// <summary>Images per split as found in the file.</summary>
    public SplitCounts Counts => new(splits["train"].Labels.Length, splits["val"].Labels.Length, splits["test"].Labels.Length);

    /// <summary>MedMNIST's own loader asserts the published counts (DATASETS.md §A3); so does this reader, for a downloaded file.</summary>
    public void RequireCounts(MedMnistFile published)
    {
        if (Counts != published.Counts)
        {
            throw new DataFormatException(
                Path.Combine(Directory, file),
                $"holds {Counts.Train} / {Counts.Validation} / {Counts.Test} train / val / test images; MedMNIST {published.Version} publishes {published.Counts.Train} / {published.Counts.Validation} / {published.Counts.Test}");
        }
    }

    public override IEnumerable<RawBatch> Batches()
    {
        foreach (var (name, split) in SplitNames)
        {
            var labels = splits[name].Labels;
            for (var start = 0; start < labels.Length; start += BatchSize)
            {
                var items = Enumerable.Range(start, Math.Min(BatchSize, labels.Length - start))
                    .Select(i => new RawItem(string.Create(CultureInfo.InvariantCulture, $"{name}/{i:D5}"), labels[i], split, string.Create(CultureInfo.InvariantCulture, $"{file}!{name}_images[{i}]")))
                    .ToList();
                yield return new RawBatch(items);
            }
        }
    }

    public override SourceImage Load(RawItem item)
    {
        var (split, index) = ParseId(item.Id);
        var images = splits[split].Images;
        var (height, width) = ((int)images.Shape[1], (int)images.Shape[2]);
        var pixels = images.AsBytes().Slice(index * height * width, height * width).ToArray();
        return new GraySource(new GrayImage(width, height, pixels));
    }

    private static (string Split, int Index) ParseId(string id)
    {
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        return (id[..slash], int.Parse(id.AsSpan(slash + 1), CultureInfo.InvariantCulture));
    }

    private static string Shape(NpyArray array) => $"({string.Join(", ", array.Shape)})";
}
