using Reproduce.Core.Errors;

namespace Reproduce.Core.Tests.Manifests;

/// <summary>
/// Machine-specific paths may name environment variables (<c>${BRAIN_DATA}</c>). An unset variable
/// is not a manifest error: planning works without the data. Every test uses its own variable names,
/// so tests running in parallel cannot see each other's settings.
/// </summary>
public class ManifestPathTests : IDisposable
{
    private readonly ManifestFolder folder = new();
    private readonly List<string> variables = [];

    public void Dispose()
    {
        foreach (var variable in variables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        folder.Dispose();
    }

    [Fact]
    public void ALocalDatasetPathResolvesASetVariable()
    {
        var variable = NewVariable();
        var data = Path.Combine(folder.Root, "brain-data");
        Environment.SetEnvironmentVariable(variable, data);

        var brain = folder.Load(WriteWithBrain($"${{{variable}}}")).Datasets["brain"];

        Assert.Equal("local", brain.Source);
        Assert.Equal($"${{{variable}}}", brain.Path!.Raw);
        Assert.Equal(data, brain.Path.Resolved);
        Assert.Empty(brain.Path.UnsetVariables);
        Assert.Equal(data, brain.Path.Require("brain"));
    }

    [Fact]
    public void AnUnsetVariableLeavesThePathUnresolvedWithoutAManifestError()
    {
        var variable = NewVariable();
        var raw = $"${{{variable}}}";

        var brain = folder.Load(WriteWithBrain(raw)).Datasets["brain"];

        Assert.Equal(raw, brain.Path!.Raw);
        Assert.Null(brain.Path.Resolved);
        Assert.Equal([variable], brain.Path.UnsetVariables);
        var error = Assert.Throws<EnvironmentException>(() => brain.Path.Require("the Brain folder"));
        Assert.Contains(variable, error.Message);
    }

    [Fact]
    public void OnlyTheUnsetVariablesOfAPathAreListed()
    {
        var (set, unset) = (NewVariable(), NewVariable());
        Environment.SetEnvironmentVariable(set, "/data");

        var brain = folder.Load(WriteWithBrain($"${{{set}}}/brain/${{{unset}}}")).Datasets["brain"];

        Assert.Null(brain.Path!.Resolved);
        Assert.Equal([unset], brain.Path.UnsetVariables);
    }

    [Fact]
    public void AnEmptyVariableCountsAsUnset()
    {
        var variable = NewVariable();
        Environment.SetEnvironmentVariable(variable, "");

        var brain = folder.Load(WriteWithBrain($"${{{variable}}}")).Datasets["brain"];

        Assert.Null(brain.Path!.Resolved);
        Assert.Equal([variable], brain.Path.UnsetVariables);
    }

    [Fact]
    public void APathWithoutVariablesIsKeptAsWritten()
    {
        var brain = folder.Load(WriteWithBrain("/srv/brain")).Datasets["brain"];

        Assert.Equal("/srv/brain", brain.Path!.Raw);
        Assert.Equal("/srv/brain", brain.Path.Resolved);
        Assert.Empty(brain.Path.UnsetVariables);
    }

    [Fact]
    public void ThePathsBlockResolvesVariablesToo()
    {
        var (set, unset) = (NewVariable(), NewVariable());
        Environment.SetEnvironmentVariable(set, "/scratch");
        folder.WriteBase();
        var child = folder.Write("child.yaml", $$"""
            extends: base.yaml
            paths:
              cache: ${{{set}}}/cache
              results: ${{{unset}}}/results

            """);

        var paths = folder.Load(child).Paths;

        Assert.Equal("/scratch/cache", paths.Cache!.Resolved);
        Assert.Null(paths.Results!.Resolved);
        Assert.Equal([unset], paths.Results.UnsetVariables);
        Assert.Null(paths.Data);
    }

    private string NewVariable()
    {
        var name = "REPRODUCE_TEST_" + Guid.NewGuid().ToString("N").ToUpperInvariant();
        variables.Add(name);
        return name;
    }

    /// <summary>A child of the base manifest that adds a Brain dataset read from a local folder.</summary>
    private string WriteWithBrain(string path)
    {
        folder.WriteBase();
        return folder.Write("child.yaml", $$"""
            extends: base.yaml
            datasets:
              brain:
                source: local
                path: {{path}}
                preprocess: {recipe: gray, size: 64}

            """);
    }
}
