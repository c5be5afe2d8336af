using System.Collections.Concurrent;
using System.IO.Compression;
using Reproduce.Data.Downloads;
using Reproduce.Data.Tests.Downloads;

namespace Reproduce.Data.Tests.Datasets;

/// <summary>
/// What every source test needs: a fixture server on 127.0.0.1, a temp folder with the raw
/// directory in it, and a Downloader with quick retries reporting into a recording progress.
/// </summary>
public sealed class SourceTestBed : IDisposable
{
    private static readonly RetryPolicy Quick = new(3, TimeSpan.FromMilliseconds(5), 1.0);

    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public SourceTestBed()
    {
        Downloader = new Downloader(http, Quick, TimeProvider.System, Progress);
    }

    public FixtureServer Server { get; } = new();

    public TempFolder Temp { get; } = new();

    public RecordingProgress Progress { get; } = new();

    public Downloader Downloader { get; }

    /// <summary>The directory a source fetches into.</summary>
    public string Raw => Temp.Combine("raw");

    /// <summary>Every file below the raw directory, relative, with '/' separators, sorted.</summary>
    public IReadOnlyList<string> RawFiles() => Directory.Exists(Raw)
        ? [.. Directory.EnumerateFiles(Raw, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(f => Path.GetRelativePath(Raw, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)]
        : [];

    /// <summary>A zip archive of the given entries, built in memory.</summary>
    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    public static byte[] Text(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    public void Dispose()
    {
        Server.Dispose();
        http.Dispose();
        Temp.Dispose();
    }
}
