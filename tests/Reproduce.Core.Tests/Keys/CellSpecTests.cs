using Reproduce.Core.Cache;
using Reproduce.Core.Cells;
using Reproduce.Core.Errors;
using Reproduce.Core.Keys;

namespace Reproduce.Core.Tests.Keys;

public sealed class CellSpecTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("render")]
    [InlineData("finetune[task=covid, init=spark, fold=2, fraction=0.25]")]
    public void An_address_reads_back_from_its_text(string text) =>
        Assert.Equal(text, CellAddress.TryParse(text)!.Text);

    [Theory]
    [InlineData("")]
    [InlineData("[task=covid]")]
    [InlineData("finetune[task=covid")]
    [InlineData("finetune[task]")]
    [InlineData("finetune[task=]")]
    public void Text_that_is_not_an_address_reads_as_none(string text) =>
        Assert.Null(CellAddress.TryParse(text));

    [Fact]
    public void A_recorded_spec_is_found_by_its_key_or_a_unique_prefix_and_a_bad_key_says_what_a_key_is()
    {
        var cache = new CacheStore(temp.Path);
        var components = new KeyComponents(1, "source", 1, "{}", "{}", "{}", new Dictionary<string, string>());
        var spec = new CellSpec(CellKeys.Hash(components), new CellAddress("source", ("index", "0")), components, []);
        cache.WriteSpec(spec);

        Assert.Equal(spec.Address, cache.ReadSpec(spec.Key).Address);
        Assert.Equal(spec.Key, cache.ReadSpec(spec.Key[..12]).Key);
        Assert.Contains("64 lower-case hex digits", Assert.Throws<UsageException>(() => cache.ReadSpec("../../etc")).Message);
        Assert.Contains("was planned", Assert.Throws<EnvironmentException>(() => cache.ReadSpec(new string('0', 64))).Message);
    }
}
