using System.Net.Http.Headers;
using System.Text;

namespace Reproduce.Data.Downloads;

/// <summary>
/// One file to fetch: where from, where to, and what it must be (a published MD5 or SHA-256, an
/// expected size). Without a checksum the file is accepted as served, and its SHA-256 is recorded.
/// </summary>
public sealed record DownloadRequest(Uri Url, string Destination)
{
    public string? Md5 { get; init; }

    public string? Sha256 { get; init; }

    /// <summary>
    /// Sent with every attempt (Kaggle's Basic credentials, NBIA's guest bearer). Never printed:
    /// <see cref="ToString"/> shows only its scheme, so a logged request cannot leak a key.
    /// </summary>
    public AuthenticationHeaderValue? Authorization { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Url = {Url}, Destination = {Destination}, Md5 = {Md5}, Sha256 = {Sha256}, Authorization = {Authorization?.Scheme}");
        return true;
    }
}
