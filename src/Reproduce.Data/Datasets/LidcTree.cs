using System.Globalization;
using Reproduce.Data.Dicom;
using Reproduce.Data.Splits;
using Reproduce.Data.Store;

namespace Reproduce.Data.Datasets;

/// <summary>
/// LIDC-IDRI as the NBIA series zips unpack: <c>LIDC-IDRI/patient/study/series/files</c>. One batch per
/// series folder. Only Part-10 files (the DICM magic, not the name: series folders also hold reader
/// annotations) with Modality CT are stored; within a series slices are ordered by z position, and of
/// slices sharing a z position the one with the lower InstanceNumber is kept (pylidc's rule,
/// DATASETS.md §A1). All slices are pre-training data: unlabelled, split train.
/// </summary>
public sealed class LidcTree : RawDataset
{
    private readonly List<SkippedItem> skipped = [];

    public LidcTree(string directory)
        : base(directory)
    {
        var collection = Path.Combine(directory, RawLayouts.LidcCollectionFolder);
        if (!System.IO.Directory.Exists(collection))
        {
            throw new Core.Errors.DataFormatException(directory, $"no {RawLayouts.LidcCollectionFolder} folder: not an LIDC-IDRI download");
        }
    }

    public override IReadOnlyList<string> Classes => [];

    public override IReadOnlyList<SkippedItem> Skipped => skipped;

    public override IEnumerable<RawBatch> Batches()
    {
        var collection = Path.Combine(Directory, RawLayouts.LidcCollectionFolder);
        foreach (var series in SortedDirectories(collection).SelectMany(SortedDirectories).SelectMany(SortedDirectories))
        {
            var items = new List<RawItem>();
            foreach (var file in System.IO.Directory.EnumerateFiles(series).Order(StringComparer.Ordinal))
            {
                var source = Path.GetRelativePath(Directory, file).Replace('\\', '/');
                if (!IsPart10(file))
                {
                    skipped.Add(new SkippedItem(source, "not a DICOM Part-10 file (no DICM magic)"));
                    continue;
                }

                items.Add(new RawItem(source, StoreItem.Unlabelled, OfficialSplit.Train, source));
            }

            if (items.Count > 0)
            {
                yield return new RawBatch(items);
            }
        }
    }

    public override SourceImage Load(RawItem item) => CtSlice.Read(PathOf(item));

    public override IReadOnlyList<LoadedItem> Arrange(IReadOnlyList<LoadedItem> loaded, Action<RawItem, string> skip)
    {
        var slices = new List<LoadedItem>();
        foreach (var item in loaded)
        {
            var modality = item.Slice?.Modality;
            if (modality != "CT")
            {
                skip(item.Item, $"modality {modality ?? "missing"}, not CT");
                continue;
            }

            slices.Add(item);
        }

        var ordered = slices
            .OrderBy(s => Z(s) ?? double.MaxValue)
            .ThenBy(s => s.Slice!.InstanceNumber ?? int.MaxValue)
            .ThenBy(s => s.Item.Source, StringComparer.Ordinal)
            .ToList();
        var kept = new List<LoadedItem>();
        foreach (var slice in ordered)
        {
            if (kept.Count > 0 && Z(slice) is { } z && Z(kept[^1]) == z)
            {
                skip(slice.Item, string.Create(CultureInfo.InvariantCulture, $"duplicate z position {z} of {kept[^1].Item.Source}; the lower InstanceNumber is kept"));
                continue;
            }

            kept.Add(slice);
        }

        return kept;
    }

    private static double? Z(LoadedItem item) => item.Slice!.ImagePositionPatient is [_, _, var z] ? z : null;

    private static IEnumerable<string> SortedDirectories(string parent) =>
        System.IO.Directory.EnumerateDirectories(parent).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal);

    private static bool IsPart10(string file)
    {
        using var stream = File.OpenRead(file);
        return DicomFile.StartsAsPart10(stream);
    }
}
