namespace Reproduce.Core.Manifests;

/// <summary>
/// A path from a manifest as written (<see cref="Raw"/>, possibly with <c>${VAR}</c> references) and
/// as resolved against the environment; <see cref="Resolved"/> is null when a variable is unset.
/// </summary>
public sealed record ConfiguredPath(string Raw, string? Resolved, IReadOnlyList<string> UnsetVariables)
{
    /// <summary>The resolved path, or an error that says which variable to set.</summary>
    public string Require(string what) => Resolved ?? throw new Errors.EnvironmentException(
        $"{what} is '{Raw}', but environment variable(s) {string.Join(", ", UnsetVariables)} are not set");
}
