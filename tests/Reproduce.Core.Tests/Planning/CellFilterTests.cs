using Reproduce.Core.Cells;
using Reproduce.Core.Errors;
using Reproduce.Core.Planning;

namespace Reproduce.Core.Tests.Planning;

public class CellFilterTests
{
    private static readonly CellAddress Finetune = new("finetune", ("task", "covid"), ("init", "spark"), ("fold", "2"), ("fraction", "0.25"));
    private static readonly CellAddress Pretrain = new("pretrain", ("method", "spark"));

    private static CellFilter Filter(string dimension, params string[] values) =>
        CellFilter.Create(new Dictionary<string, IReadOnlyList<string>> { [dimension] = values }, []);

    [Fact]
    public void TheEmptyFilterSelectsEverything()
    {
        Assert.True(CellFilter.All.Matches(Finetune));
        Assert.True(CellFilter.All.Matches(Pretrain));
    }

    [Fact]
    public void ADimensionSelectsOnlyCellsThatHaveIt()
    {
        Assert.True(Filter("task", "covid").Matches(Finetune));
        Assert.False(Filter("task", "brain").Matches(Finetune));
        Assert.False(Filter("task", "covid").Matches(Pretrain));
    }

    [Fact]
    public void MethodAlsoMatchesTheInitOfFinetuneCells()
    {
        Assert.True(Filter("method", "spark").Matches(Pretrain));
        Assert.True(Filter("method", "spark").Matches(Finetune));
        Assert.False(Filter("init", "spark").Matches(Pretrain));
    }

    [Fact]
    public void FractionsCompareAsNumbers()
    {
        Assert.True(Filter("fraction", "0.250").Matches(Finetune));
        Assert.True(Filter("fraction", "1", ".25").Matches(Finetune));
        Assert.False(Filter("fraction", "0.5").Matches(Finetune));
    }

    [Fact]
    public void OnlyRestrictsStages()
    {
        var filter = CellFilter.Create(new Dictionary<string, IReadOnlyList<string>>(), ["pretrain"]);
        Assert.True(filter.Matches(Pretrain));
        Assert.False(filter.Matches(Finetune));
    }

    [Fact]
    public void UnknownDimensionsAndBadFractionsAreUsageErrors()
    {
        Assert.Throws<UsageException>(() => Filter("seed", "1"));
        Assert.Throws<UsageException>(() => Filter("fraction", "half"));
    }
}
