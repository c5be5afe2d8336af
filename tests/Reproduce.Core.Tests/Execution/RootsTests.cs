using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;

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

    [Fact]
    public void APathWithinARootStaysWithinItThroughDotsAndLinks()
    {
        using var temp = new TempDirectory();
        var data = temp.Combine("data");
        var outside = temp.Combine("outside");
        Directory.CreateDirectory(Path.Combine(data, "covid"));
        Directory.CreateDirectory(outside);
        Directory.CreateSymbolicLink(Path.Combine(data, "escape"), outside);
        // The root itself may be a link (a data folder on a bigger disk).
        Directory.CreateSymbolicLink(temp.Combine("linked-data"), data);

        Assert.Equal(Path.Combine(data, "covid", "github-master"), Roots.Within(data, "covid/github-master"));
        Assert.Equal(Path.Combine(temp.Combine("linked-data"), "covid"), Roots.Within(temp.Combine("linked-data"), "covid"));
        foreach (var relative in new[] { "../outside", "covid/../../outside/x", "/etc", "escape/x", "escape" })
        {
            var error = Assert.Throws<Reproduce.Core.Errors.DataFormatException>(() => Roots.Within(data, relative));
            Assert.Contains($"lies outside its root {data}", error.Message, StringComparison.Ordinal);
        }
    }
}
