namespace Reproduce.Core.Errors;

/// <summary>The cell cache is in a state the engine cannot use (an unreadable meta.json, a failed publish).</summary>
public sealed class CacheException : ReproduceException
{
    public CacheException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
    }

    public string Path { get; }

    public override int ExitCode => ExitCodes.CellFailed;
}
