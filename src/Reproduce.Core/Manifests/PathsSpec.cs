namespace Reproduce.Core.Manifests;

/// <summary>Optional overrides of the data, cache and results roots (DESIGN.md §7 "Roots").</summary>
public sealed record PathsSpec(ConfiguredPath? Data, ConfiguredPath? Cache, ConfiguredPath? Results)
{
    public static readonly PathsSpec None = new(null, null, null);
}
