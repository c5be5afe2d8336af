namespace Reproduce.Core.Planning;

/// <summary>
/// One difference between a cell's key components and those of the older cell at the same
/// address: the component (code, params, inputs, environment, upstream), the path inside it, and
/// the old and new values.
/// </summary>
public sealed record KeyChange(string Component, string Path, string? Before, string? After);
