using Reproduce.Core.Manifests;

namespace Reproduce.Core.Errors;

/// <summary>One or more problems in a manifest, each with its file, line and column.</summary>
public sealed class ManifestException : ReproduceException
{
    public ManifestException(IReadOnlyList<ManifestError> errors)
        : base(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
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
