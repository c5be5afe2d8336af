using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Reproduce.Core.Errors;
using Reproduce.Core.Stages;

namespace Reproduce.Data.Downloads;

/// <summary>
/// Fetches files over HTTP(S): resumable (a <c>.part</c> file continued with a Range request),
/// retried with backoff on transient failures (connection cut, timeouts, 5xx, 429), checked against
/// the published checksum, and moved into place only when complete and verified, so a destination
/// path holds the whole verified file or nothing.
/// </summary>
public sealed class Downloader(HttpClient http, RetryPolicy retry, TimeProvider clock, ICellProgress progress)
{
    private const int BufferSize = 1 << 16;

    public async Task<DownloadedFile> DownloadAsync(DownloadRequest request, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(request.Destination))!);
        var part = request.Destination + ".part";
        var resumed = File.Exists(part) && new FileInfo(part).Length > 0;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await FetchIntoAsync(request, part, cancellationToken);
                return Verify(request, part, resumed, attempt);
            }
            catch (Exception error) when (attempt < retry.Attempts && IsTransient(error) && !cancellationToken.IsCancellationRequested)
            {
                progress.Message($"{request.Url}: {error.Message}; retry {attempt} of {retry.Attempts - 1} (the part already fetched is kept)");
                resumed |= File.Exists(part) && new FileInfo(part).Length > 0;
                await Task.Delay(retry.DelayBefore(attempt + 1), clock, cancellationToken);
            }
            catch (Exception error) when (error is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new DownloadException(request.Url, $"failed after {attempt} attempt(s): {error.Message}", error);
            }
        }
    }

    private async Task FetchIntoAsync(DownloadRequest request, string part, CancellationToken cancellationToken)
    {
        var have = File.Exists(part) ? new FileInfo(part).Length : 0;
        using var message = new HttpRequestMessage(HttpMethod.Get, request.Url);
        message.Headers.Authorization = request.Authorization;
        if (have > 0)
        {
            message.Headers.Range = new RangeHeaderValue(have, null);
        }

        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
        {
            // The part already holds everything the server has.
            return;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        var append = have > 0 && response.StatusCode == HttpStatusCode.PartialContent;
        var total = (append ? have : 0) + (response.Content.Headers.ContentLength ?? 0);
        await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using var target = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize);
        var buffer = new byte[BufferSize];
        var done = target.Position;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            done += read;
            progress.Report(done, Math.Max(total, done), "bytes");
        }

        if (response.Content.Headers.ContentLength is { } length && done - (append ? have : 0) < length)
        {
            throw new IOException($"the connection ended after {done} bytes");
        }
    }

    private static DownloadedFile Verify(DownloadRequest request, string part, bool resumed, int attempts)
    {
        var sha256 = Digest(part, SHA256.HashData);
        var (algorithm, expected, actual) = request.Sha256 is not null ? ("SHA-256", request.Sha256, sha256)
            : request.Md5 is not null ? ("MD5", request.Md5, Digest(part, MD5.HashData))
            : (null, null, null);
        if (algorithm is not null && !string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(part);
            throw new DownloadException(request.Url, $"{algorithm} mismatch: expected {expected}, got {actual}; the file was deleted");
        }

        var bytes = new FileInfo(part).Length;
        File.Move(part, request.Destination, overwrite: true);
        return new DownloadedFile(request.Destination, bytes, sha256, resumed, attempts);
    }

    private static string Digest(string path, Func<Stream, byte[]> hash)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(hash(stream));
    }

    private static bool IsTransient(Exception error) => error switch
    {
        HttpRequestException { StatusCode: null } => true,
        HttpRequestException { StatusCode: { } status } => (int)status >= 500 || status == HttpStatusCode.TooManyRequests || status == HttpStatusCode.RequestTimeout,
        IOException => true,
        TaskCanceledException => true,
        _ => false,
    };
}
