namespace Reproduce.Core.Stages;

/// <summary>The command line that starts this build's <c>reproduce</c> (the host and its arguments before the verb).</summary>
public sealed record ChildCommand(string FileName, IReadOnlyList<string> Arguments);
