using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Microsoft.Win32.SafeHandles;
using Reproduce.Core.Errors;
using Reproduce.Data.Splits;

namespace Reproduce.Data.Store;

/// <summary>
/// A preprocessed dataset (DESIGN.md §1, the preprocess stage's output): uint8 images of one size in
/// one file, and an index of (id, label, split, source) per image. Opening checks that the description,
/// index and image file agree; reading an image is one positioned read (pread) into the caller's buffer, thread-safe.
/// Not a memory mapping: a mapping's touched pages count in the process's resident set (a whole LIDC store, many GB,
/// over an epoch), and faulting them in one page at a time made the copy out of it cost as much as the view's
/// normalisation.
/// </summary>
public sealed class TensorStore : IDisposable
{
    internal static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>The store's own files: comma-separated, every record complete, malformed quoting an error.</summary>
    private static readonly CsvReaderOptions StrictCsv = CsvReaderOptions.Default with
    {
        Separator = ',',
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Throw,
        FieldCountMismatch = CsvFieldCountHandling.Throw,
        MissingField = CsvMissingFieldHandling.Throw,
    };

    private readonly string imageFile;
    private readonly SafeFileHandle? images;

    private TensorStore(string imageFile, StoreDescription description, IReadOnlyList<StoreItem> items, IReadOnlyList<SkippedItem> skipped)
    {
        Description = description;
        Items = items;
        Skipped = skipped;
        this.imageFile = imageFile;
        if (items.Count > 0)
        {
            images = File.OpenHandle(imageFile, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        }
    }

    public StoreDescription Description { get; }

    public int Count => Items.Count;

    public int Height => Description.Height;

    public int Width => Description.Width;

    public int ImageBytes => Height * Width;

    public IReadOnlyList<StoreItem> Items { get; }

    public IReadOnlyList<SkippedItem> Skipped { get; }

    public static TensorStore Open(string directory)
    {
        var descriptionFile = Path.Combine(directory, StoreFiles.Description);
        if (!File.Exists(descriptionFile))
        {
            throw new DataFormatException(directory, $"not a complete tensor store: {StoreFiles.Description} is missing");
        }

        var description = ReadDescription(descriptionFile);
        var items = ReadIndex(Path.Combine(directory, StoreFiles.Index), description);
        var imageFile = Path.Combine(directory, StoreFiles.Images);
        var expected = (long)description.Count * description.Height * description.Width;
        var actual = File.Exists(imageFile) ? new FileInfo(imageFile).Length : -1;
        if (actual != expected)
        {
            throw new DataFormatException(imageFile, actual < 0 ? "missing" : $"holds {actual} bytes; {description.Count} images of {description.Height} × {description.Width} need {expected}");
        }

        var skipped = ReadRows(Path.Combine(directory, StoreFiles.Skipped), ["source", "reason"], (csv, _) => new SkippedItem(csv.GetString("source"), csv.GetString("reason")));
        return new TensorStore(imageFile, description, items, skipped);
    }

    /// <summary>Copies image <paramref name="position"/> (Height × Width bytes, row-major) into <paramref name="destination"/>.</summary>
    public void CopyImage(int position, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, ImageBytes, nameof(destination));
        var offset = (long)position * ImageBytes;
        var span = destination[..ImageBytes];
        while (!span.IsEmpty)
        {
            var read = RandomAccess.Read(images!, span, offset);
            if (read == 0)
            {
                throw new DataFormatException(imageFile, $"ends inside image {position}: the file shrank after the store was opened");
            }

            span = span[read..];
            offset += read;
        }
    }

    public byte[] Image(int position)
    {
        var image = new byte[ImageBytes];
        CopyImage(position, image);
        return image;
    }

    /// <summary>The items as the split logic sees them (labelled data only).</summary>
    public IReadOnlyList<SplitItem> SplitItems() => Items.Select(i => i.ToSplitItem()).ToList();

    public void Dispose()
    {
        images?.Dispose();
    }

    private static StoreDescription ReadDescription(string path)
    {
        StoreDescription? description;
        try
        {
            description = JsonSerializer.Deserialize<StoreDescription>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"invalid store description: {e.Message}", inner: e);
        }

        if (description is null || description.Format != StoreFiles.Format)
        {
            throw new DataFormatException(path, $"store format {description?.Format.ToString(CultureInfo.InvariantCulture) ?? "none"}; this reader reads format {StoreFiles.Format}: rebuild the store");
        }

        return description;
    }

    private static List<StoreItem> ReadIndex(string path, StoreDescription description)
    {
        var items = ReadRows(path, ["position", "id", "label", "split", "source"], (csv, row) =>
        {
            var position = csv.Parse<int>("position");
            var label = csv.Parse<int>("label");
            var split = StoreFiles.ParseSplit(csv.GetString("split")) ?? throw new DataFormatException(path, $"line {row}: unknown split '{csv.GetString("split")}'");
            if (label < StoreItem.Unlabelled || label >= Math.Max(1, description.Classes.Count))
            {
                throw new DataFormatException(path, $"line {row}: label {label} outside the store's {description.Classes.Count} classes");
            }

            return new StoreItem(position, csv.GetString("id"), label, split, csv.GetString("source"));
        });
        if (items.Count != description.Count || items.Where((item, i) => item.Position != i).Any())
        {
            throw new DataFormatException(path, $"{items.Count} rows for a store of {description.Count} images, or positions out of order");
        }

        return items;
    }

    private static List<T> ReadRows<T>(string path, string[] header, Func<CsvReader, long, T> row)
    {
        try
        {
            using var csv = CsvReader.Create(new StreamReader(path), StrictCsv);
            if (!header.SequenceEqual(csv.Headers))
            {
                throw new DataFormatException(path, $"expected the header {string.Join(',', header)}");
            }

            var rows = new List<T>();
            while (csv.Read())
            {
                rows.Add(row(csv, csv.LineNumber));
            }

            return rows;
        }
        catch (CsvFormatException e)
        {
            throw new DataFormatException(path, e.Message, inner: e);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new DataFormatException(path, $"not a number where one belongs: {e.Message}", inner: e);
        }
        catch (FileNotFoundException e)
        {
            throw new DataFormatException(path, "missing", inner: e);
        }
    }
}
