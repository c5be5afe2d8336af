using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using Reproduce.Data.Splits;

namespace Reproduce.Data.Store;

/// <summary>
/// Writes a tensor store image by image, so memory stays bounded whatever the dataset's size:
/// images are appended to <c>images.u8</c> as they come, the index and skipped list are written at
/// <see cref="Complete"/>. The directory is a cell's work directory, published atomically by the
/// engine; an interrupted writer leaves nothing a reader would accept (no <c>store.json</c>).
/// </summary>
public sealed class TensorStoreWriter : IDisposable
{
    private readonly string directory;
    private readonly FileStream images;
    private readonly IncrementalHash digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly List<StoreItem> items = [];
    private readonly List<SkippedItem> skipped = [];
    private readonly HashSet<string> ids = new(StringComparer.Ordinal);

    public TensorStoreWriter(string directory, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        this.directory = directory;
        (Height, Width) = (height, width);
        Directory.CreateDirectory(directory);
        File.Delete(Path.Combine(directory, StoreFiles.Description));
        images = new FileStream(Path.Combine(directory, StoreFiles.Images), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
    }

    public int Height { get; }

    public int Width { get; }

    public int Count => items.Count;

    public IReadOnlyList<SkippedItem> SkippedItems => skipped;

    public void Add(string id, int label, OfficialSplit split, string source, ReadOnlySpan<byte> image)
    {
        if (image.Length != Height * Width)
        {
            throw new ArgumentException($"image of {image.Length} bytes for a {Height} × {Width} store", nameof(image));
        }

        if (!ids.Add(id))
        {
            throw new ArgumentException($"duplicate store id '{id}'", nameof(id));
        }

        images.Write(image);
        digest.AppendData(image);
        items.Add(new StoreItem(items.Count, id, label, split, source));
    }

    public void Skip(string source, string reason) => skipped.Add(new SkippedItem(source, reason));

    /// <summary>Writes the index, the skipped list and, last, <c>store.json</c>, which marks the store complete.</summary>
    public StoreDescription Complete(string dataset, IReadOnlyList<string> classes, JsonObject recipe)
    {
        images.Flush(flushToDisk: true);
        images.Dispose();
        WriteCsv(StoreFiles.Index, ["position", "id", "label", "split", "source"], items.Select(i => new[]
        {
            i.Position.ToString(CultureInfo.InvariantCulture), i.Id, i.Label.ToString(CultureInfo.InvariantCulture), StoreFiles.SplitName(i.Split), i.Source,
        }));
        WriteCsv(StoreFiles.Skipped, ["source", "reason"], skipped.Select(s => new[] { s.Source, s.Reason }));
        var description = new StoreDescription
        {
            Dataset = dataset,
            Count = items.Count,
            Height = Height,
            Width = Width,
            Classes = classes,
            Recipe = recipe,
            Splits = Enum.GetValues<OfficialSplit>().ToDictionary(StoreFiles.SplitName, s => items.Count(i => i.Split == s)),
            Skipped = skipped.Count,
            ImagesSha256 = Convert.ToHexStringLower(digest.GetHashAndReset()),
        };
        File.WriteAllText(Path.Combine(directory, StoreFiles.Description), JsonSerializer.Serialize(description, TensorStore.Json));
        return description;
    }

    public void Dispose()
    {
        images.Dispose();
        digest.Dispose();
    }

    private void WriteCsv(string name, string[] header, IEnumerable<string[]> rows)
    {
        using var csv = CsvWriter.ToFile(Path.Combine(directory, name));
        csv.WriteHeader(header);
        foreach (var row in rows)
        {
            csv.WriteRecord(row);
        }
    }
}
