namespace Reproduce.Data.Downloads;

/// <summary>
/// One file to fetch: where from, where to, and what it must be (a published MD5 or SHA-256, an
/// expected size). Without a checksum the file is accepted as served, and its SHA-256 is recorded.
/// </summary>
public sealed record DownloadRequest(Uri Url, string Destination)
{
    public string? Md5 { get; init; }

    public string? Sha256 { get; init; }
}
