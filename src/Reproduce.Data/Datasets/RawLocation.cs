using System.Text.Json;
using Reproduce.Core.Errors;
using Reproduce.Core.Stages;

namespace Reproduce.Data.Datasets;

/// <summary>
/// Where a download cell left a dataset's raw files (<c>raw.json</c> in the cell): inside the cell
/// (synthetic stand-ins, small by construction), under the data root (real downloads, too big for the
/// cache and kept when the cache is cleaned), or in a folder outside the project (a local dataset).
/// </summary>
public sealed record RawLocation(string Kind, string Path)
{
    public const string FileName = "raw.json";

    public const string InCell = "cell";
    public const string UnderDataRoot = "data";
    public const string External = "external";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public string Resolve(string cellDirectory, Roots roots) => Kind switch
    {
        InCell => Roots.Within(cellDirectory, Path),
        UnderDataRoot => Roots.Within(roots.Data, Path),
        External => Path,
        _ => throw new DataFormatException(System.IO.Path.Combine(cellDirectory, FileName), $"unknown location kind '{Kind}'"),
    };

    public void Write(string cellDirectory) => File.WriteAllText(System.IO.Path.Combine(cellDirectory, FileName), JsonSerializer.Serialize(this, Json));

    public static RawLocation Read(string cellDirectory)
    {
        var path = System.IO.Path.Combine(cellDirectory, FileName);
        try
        {
            return JsonSerializer.Deserialize<RawLocation>(File.ReadAllText(path), Json)
                ?? throw new DataFormatException(path, "empty raw location");
        }
        catch (Exception e) when (e is JsonException or FileNotFoundException)
        {
            throw new DataFormatException(path, $"not a raw location: {e.Message}", inner: e);
        }
    }
}
