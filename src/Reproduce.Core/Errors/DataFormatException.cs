namespace Reproduce.Core.Errors;

/// <summary>A file whose content is not what its format promises; names the file and, where known, the byte offset.</summary>
public sealed class DataFormatException : ReproduceException
{
    public DataFormatException(string path, string problem, long? offset = null, Exception? inner = null)
        : base(offset is { } at ? $"{path}: at byte {at}: {problem}" : $"{path}: {problem}", inner)
    {
        Path = path;
        Offset = offset;
        Problem = problem;
    }

    public string Path { get; }

    public long? Offset { get; }

    public string Problem { get; }

    public override int ExitCode => ExitCodes.InvalidInput;
}
