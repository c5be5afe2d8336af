namespace Reproduce.Core.Errors;

/// <summary>One problem in a manifest, at the position of the offending node.</summary>
public sealed record ManifestError(SourceSpan At, string Message)
{
    public override string ToString() => $"{At}: {Message}";
}
