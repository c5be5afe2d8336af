using Reproduce.Core.Execution;
using Reproduce.Core.Manifests;

namespace Reproduce.Core.Tests.Execution;

public class RootsTests
{
    private const string Repository = "/repo";

    private static string? NoEnvironment(string name) => null;

    [Fact]
    public void DefaultsLiveUnderTheRepositoryRoot()
    {
        var roots = Roots.Resolve(Repository, PathsSpec.None, NoEnvironment);

        Assert.Equal(new Roots("/repo/data", "/repo/cache", "/repo/results"), roots);
    }

    [Fact]
    public void TheManifestOverridesDefaultsAndTheEnvironmentOverridesTheManifest()
    {
        var paths = new PathsSpec(new ConfiguredPath("/big/data", "/big/data", []), new ConfiguredPath("scratch/cache", "scratch/cache", []), null);

        var roots = Roots.Resolve(Repository, paths, name => name == "REPRODUCE_DATA" ? "/fast/data" : null);

        Assert.Equal(new Roots("/fast/data", "/repo/scratch/cache", "/repo/results"), roots);
    }

    [Fact]
    public void AManifestPathWithAnUnsetVariableIsAnEnvironmentError()
    {
        var paths = new PathsSpec(new ConfiguredPath("${NOPE}/data", null, ["NOPE"]), null, null);

        var error = Assert.Throws<Reproduce.Core.Errors.EnvironmentException>(() => Roots.Resolve(Repository, paths, NoEnvironment));

        Assert.Contains("NOPE", error.Message);
    }
}
