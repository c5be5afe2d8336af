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
    public void AnAddressReadsBackFromItsText(string text) =>
        Assert.Equal(text, CellAddress.TryParse(text)!.Text);

    [Theory]
    [InlineData("")]
    [InlineData("[task=covid]")]
    [InlineData("finetune[task=covid")]
    [InlineData("finetune[task]")]
    [InlineData("finetune[task=]")]
    public void TextThatIsNotAnAddressReadsAsNone(string text) =>
        Assert.Null(CellAddress.TryParse(text));

    [Fact]
    public void ARecordedSpecIsFoundByItsKeyOrAUniquePrefixAndABadKeySaysWhatAKeyIs()
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
