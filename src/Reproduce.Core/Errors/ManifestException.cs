
namespace Reproduce.Core.Errors;

/// <summary>One or more problems in a manifest, each with its file, line and column.</summary>
public sealed class ManifestException : ReproduceException
{
    /// <summary>The problems the message lists; a manifest of thousands of unknown keys would bury the first ones.</summary>
    public const int MaxListed = 20;

    public ManifestException(IReadOnlyList<ManifestError> errors)
        : base(string.Join(Environment.NewLine, errors.Take(MaxListed).Select(e => e.ToString()))
            + (errors.Count > MaxListed ? $"{Environment.NewLine}… and {errors.Count - MaxListed} more problem(s)" : ""))
    {
        if (errors.Count == 0)
        {
            throw new ArgumentException("A manifest exception needs at least one error.", nameof(errors));
        }

        Errors = errors;
    }

    public ManifestException(ManifestError error)
        : this([error])
    {
    }

    public IReadOnlyList<ManifestError> Errors { get; }

    public override int ExitCode => ExitCodes.InvalidInput;
}
