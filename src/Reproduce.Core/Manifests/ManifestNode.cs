using Reproduce.Core.Errors;

namespace Reproduce.Core.Manifests;

/// <summary>
/// A YAML node that remembers where it came from. Manifests are merged (<c>extends:</c>) at this
/// level, before binding, so every value keeps the file and position it was written at.
/// </summary>
public abstract record ManifestNode(SourceSpan At)
{
    public abstract string KindName { get; }
}

/// <summary>A scalar; <see cref="IsNull"/> for an empty value, <c>~</c> or an unquoted <c>null</c>.</summary>
public sealed record ScalarNode(SourceSpan At, string Value, bool IsQuoted) : ManifestNode(At)
{
    public bool IsNull => !IsQuoted && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string KindName => IsNull ? "an empty value" : "a scalar";
}

public sealed record ListNode(SourceSpan At, IReadOnlyList<ManifestNode> Items) : ManifestNode(At)
{
    public override string KindName => "a list";
}

/// <summary>A mapping with string keys in file order.</summary>
public sealed record MapNode(SourceSpan At, IReadOnlyList<MapEntry> Entries) : ManifestNode(At)
{
    public override string KindName => "a map";

    public MapEntry? Find(string key) => Entries.FirstOrDefault(e => e.Key == key);
}

public sealed record MapEntry(string Key, SourceSpan KeyAt, ManifestNode Value);
