namespace Reproduce.Core.Errors;

/// <summary>A position in a manifest file (1-based line and column), as printed in error messages.</summary>
public readonly record struct SourceSpan(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
