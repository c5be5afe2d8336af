using Reproduce.Data.Splits;

namespace Reproduce.Data.Datasets;

/// <summary>
/// One raw image as a dataset reader found it: a stable id, its label in the store's class order
/// (−1 when unlabelled), its official split, and where it is (<see cref="Source"/> relative to the raw
/// directory, as the index records it; for an array file <c>file!array[index]</c>).
/// </summary>
public sealed record RawItem(string Id, int Label, OfficialSplit Split, string Source);

/// <summary>Raw items read and preprocessed together; a reader may drop or reorder them once all are loaded (<see cref="RawDataset.Arrange"/>).</summary>
public sealed record RawBatch(IReadOnlyList<RawItem> Items);

/// <summary>A raw item after loading: the store image and, for DICOM, the slice attributes a reader arranges by.</summary>
public sealed record LoadedItem(RawItem Item, byte[] Image, Dicom.SliceAttributes? Slice);
