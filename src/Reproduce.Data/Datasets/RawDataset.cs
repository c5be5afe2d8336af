using Reproduce.Core.Manifests;
using Reproduce.Data.Store;

namespace Reproduce.Data.Datasets;

/// <summary>
/// A dataset's raw files in their <see cref="RawLayouts"/> layout, read the same way whether a real
/// source or the synthetic stand-in wrote them. Items come in batches (a DICOM series, a run of image
/// files); preprocessing loads a batch, lets the reader <see cref="Arrange"/> it, and stores the result.
/// Problems found while listing (a name in a split list with no file, a file that is not DICOM) are
/// <see cref="Skipped"/> with a reason.
/// </summary>
public abstract class RawDataset
{
    protected RawDataset(string directory) => Directory = directory;

    /// <summary>The raw directory every item's <see cref="RawItem.Source"/> is relative to.</summary>
    public string Directory { get; }

    public abstract IReadOnlyList<string> Classes { get; }

    public abstract IReadOnlyList<SkippedItem> Skipped { get; }

    public abstract IEnumerable<RawBatch> Batches();

    /// <summary>Decodes one item; throws <see cref="DataFormatException"/> when its file is unreadable. Dispose the image once it is used.</summary>
    public abstract SourceImage Load(RawItem item);

    /// <summary>
    /// The loaded items of a batch to store, in store order; the others are reported to
    /// <paramref name="skip"/> with a reason. By default everything, in listing order.
    /// </summary>
    public virtual IReadOnlyList<LoadedItem> Arrange(IReadOnlyList<LoadedItem> loaded, Action<RawItem, string> skip) => loaded;

    /// <summary>The full path of an item's file.</summary>
    public string PathOf(RawItem item) => Path.Combine(Directory, item.Source.Split('!')[0]);

    /// <summary>Opens the raw directory of <paramref name="dataset"/> with the reader its id and source call for.</summary>
    public static RawDataset Open(DatasetSource dataset, string directory) => dataset.Id switch
    {
        Identifiers.Lidc => new LidcTree(directory),
        Identifiers.Covid => new CovidCtFolder(directory),
        Identifiers.OrganSMnist => new OrganSMnistNpz(directory, dataset.IsSynthetic ? dataset.Synthetic!.Size : dataset.ImageSize ?? 28),
        Identifiers.Brain => BrainFolders.Open(directory),
        _ => throw new ArgumentException($"no reader for dataset '{dataset.Id}'", nameof(dataset)),
    };
}
