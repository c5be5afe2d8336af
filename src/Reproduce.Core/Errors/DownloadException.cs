namespace Reproduce.Core.Errors;

/// <summary>A download that could not be completed or verified; names the URL and what went wrong.</summary>
public sealed class DownloadException : ReproduceException
{
    public DownloadException(Uri url, string problem, Exception? inner = null)
        : base($"{url}: {problem}", inner)
    {
        Url = url;
    }

    public Uri Url { get; }

    public override int ExitCode => ExitCodes.Environment;
}
