using System.Text.Json.Nodes;
using Reproduce.Core.Manifests;

namespace Reproduce.Core.Tests.Manifests;

public class MethodSpecTests
{
    [Fact]
    public void DefaultsHoldEveryParameterAtItsReferenceValue()
    {
        var spec = MethodSpec.Defaults(TestCatalog.Byol);

        Assert.Equal("byol", spec.Id);
        Assert.Equal(100, spec.Integer("epochs"));
        Assert.Equal("lars", spec.Choice("optimizer"));
        Assert.Equal(TestCatalog.Byol.Parameters.Select(p => p.Name).Order(), spec.Parameters.Keys.Order());
    }

    [Fact]
    public void WithSetsOneValueAsAManifestWouldAndLeavesTheOriginalAlone()
    {
        var defaults = MethodSpec.Defaults(TestCatalog.Byol);

        // An int literal: read back as the long an integer parameter declares.
        var changed = defaults.With("epochs", 7);

        Assert.Equal(7, changed.Integer("epochs"));
        Assert.Equal(100, defaults.Integer("epochs"));
        Assert.Equal(0.2, changed.Real("learning_rate"));
    }

    [Fact]
    public void WithRefusesANameTheMethodDoesNotHave()
    {
        var error = Assert.Throws<ArgumentException>(() => MethodSpec.Defaults(TestCatalog.Byol).With("momentum", (JsonNode)0.9));
        Assert.Contains("byol has no parameter 'momentum'", error.Message, StringComparison.Ordinal);
    }
}
