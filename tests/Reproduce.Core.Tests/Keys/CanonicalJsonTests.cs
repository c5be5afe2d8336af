using System.Text.Json.Nodes;
using Reproduce.Core.Json;

namespace Reproduce.Core.Tests.Keys;

public class CanonicalJsonTests
{
    [Fact]
    public void SortsKeysAtEveryLevelAndDropsWhitespace()
    {
        var json = JsonNode.Parse("""{ "b": 1, "a": { "d": [3, 1], "c": "x" } }""");

        Assert.Equal("""{"a":{"c":"x","d":[3,1]},"b":1}""", CanonicalJson.Serialize(json));
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("1.0", "1")]
    [InlineData("1e0", "1")]
    [InlineData("-0.0", "0")]
    [InlineData("0.25", "0.25")]
    [InlineData("2.5e-5", "2.5E-05")]
    [InlineData("65536", "65536")]
    public void NormalisesNumbers(string written, string canonical)
    {
        Assert.Equal($"[{canonical}]", CanonicalJson.Serialize(JsonNode.Parse($"[{written}]")));
    }

    [Fact]
    public void IntegersFromCodeAndFromTextAgree()
    {
        var fromCode = new JsonObject { ["n"] = 3L, ["x"] = 0.5, ["flag"] = true, ["s"] = "q\"uote" };
        var fromText = JsonNode.Parse("""{"s":"q\"uote","flag":true,"x":5e-1,"n":3.0}""");

        Assert.Equal(CanonicalJson.Serialize(fromCode), CanonicalJson.Serialize(fromText));
    }

    [Fact]
    public void RejectsNonFiniteNumbers()
    {
        Assert.Throws<ArgumentException>(() => CanonicalJson.Number(double.NaN));
    }
}
