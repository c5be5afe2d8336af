using Reproduce.Core.Errors;
using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Tests.Aggregation;

public sealed class AggregateFilesTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void SummaryRowsRoundTripWithUndefinedNumbersAsEmptyFields()
    {
        SummaryRow[] rows =
        [
            new("covid", "spark", 0.25, "auc", 5, 0.1 + 0.2, 0.0123456789012345, 0.71, 0.93, 106.4, 50, 53.2),
            new("covid", "spark", 1.0, "f1", 1, 0.8, double.NaN, double.NaN, double.NaN, 425, 200, 212.5),
            new("covid", "byol", 0.1, "accuracy", 0, double.NaN, double.NaN, double.NaN, double.NaN, 42, 20, 21),
        ];
        var path = temp.Combine(AggregateFiles.SummaryFileName);

        AggregateFiles.WriteSummary(path, rows);

        Assert.Equal(rows, AggregateFiles.ReadSummary(path));
        Assert.Equal(
            [
                "task,init,fraction,metric,n,mean,std,ci_low,ci_high,train_images,min_class_images,images_per_class",
                "covid,spark,0.25,auc,5,0.30000000000000004,0.0123456789012345,0.71,0.93,106.4,50,53.2",
                "covid,spark,1.0,f1,1,0.8,,,,425,200,212.5",
                "covid,byol,0.1,accuracy,0,,,,,42,20,21",
            ],
            File.ReadAllLines(path));
    }

    [Fact]
    public void ComparisonRowsRoundTripIncludingInfiniteStatistics()
    {
        ComparisonRow[] rows =
        [
            new("brain", 0.5, "auc", "spark", "scratch", 5, 0.05, 0.01, 0.09, "paired-t", 3.2, 0.0327),
            new("brain", 0.5, "auc", "spark", "scratch", 6, 0.05, 0.05, 0.05, "paired-t", double.PositiveInfinity, 0),
            new("brain", 0.5, "auc", "spark", "byol", 1, -0.01, double.NaN, double.NaN, "paired-t", double.NaN, double.NaN),
        ];
        var path = temp.Combine(AggregateFiles.ComparisonsFileName);

        AggregateFiles.WriteComparisons(path, rows);

        Assert.Equal(rows, AggregateFiles.ReadComparisons(path));
        Assert.Equal("task,fraction,metric,init,baseline,n,mean_difference,ci_low,ci_high,test,statistic,p_value", File.ReadLines(path).First());
        Assert.Equal("brain,0.5,auc,spark,scratch,6,0.05,0.05,0.05,paired-t,inf,0", File.ReadAllLines(path)[2]);
    }

    [Fact]
    public void FoldValuesRoundTripWithUndefinedValuesNull()
    {
        FoldValue[] rows = [new("covid", "byol", 0, 1.0, 425, "auc", 0.81), new("covid", "byol", 1, 1.0, 424, "auc", null)];
        var path = temp.Combine(AggregateFiles.FoldsFileName);

        AggregateFiles.WriteFolds(path, rows);

        Assert.Equal(rows, AggregateFiles.ReadFolds(path));
        Assert.Equal(["task,init,fold,fraction,train_images,metric,value", "covid,byol,0,1.0,425,auc,0.81", "covid,byol,1,1.0,424,auc,"], File.ReadAllLines(path));
    }

    [Fact]
    public void ImagesPerClassRowsRoundTripWithNotReachedAsWords()
    {
        ImagesPerClassRow[] rows =
        [
            new("covid", "auc", "byol", 4, 0.8, 0.9, 0.6, 0.5, 36, 1000, 870, 37.5, 20.25, double.PositiveInfinity),
            new("covid", "auc", "spark", 2, 0.8, double.NaN, double.NaN, double.NaN, double.NaN, 0, 0, double.NaN, double.NaN, double.NaN),
        ];
        var path = temp.Combine(AggregateFiles.ImagesPerClassFileName);

        AggregateFiles.WriteImagesPerClass(path, rows);

        Assert.Equal(rows, AggregateFiles.ReadImagesPerClass(path));
        Assert.Equal(
            [
                "task,metric,init,sizes,target,a,b,c,images,resamples,reached,median,ci_low,ci_high",
                "covid,auc,byol,4,0.8,0.9,0.6,0.5,36,1000,870,37.5,20.25,not reached",
                "covid,auc,spark,2,0.8,,,,,0,0,,,",
            ],
            File.ReadAllLines(path));
    }

    [Fact]
    public void EachFileIsExactlyTheseBytes()
    {
        // "\n" line endings, no byte order mark, shortest round-trip doubles, NaN empty, infinities inf / -inf, nothing quoted.
        var summary = temp.Combine(AggregateFiles.SummaryFileName);
        var comparisons = temp.Combine(AggregateFiles.ComparisonsFileName);
        var folds = temp.Combine(AggregateFiles.FoldsFileName);

        AggregateFiles.WriteSummary(summary, [new("covid", "spark", 0.25, "auc", 5, 0.1 + 0.2, 1e-7, -0.5, 1.0 / 3, 106.4, 50, 53.2)]);
        AggregateFiles.WriteComparisons(comparisons,
        [
            new("brain", 1.0, "f1", "spark", "scratch", 6, 0.05, double.NaN, double.NaN, "paired-t", double.NegativeInfinity, 0),
            new("brain", 0.1, "f1", "spark", "byol", 6, -1e300, 2, 3, "wilcoxon", double.PositiveInfinity, 5e-324),
        ]);
        AggregateFiles.WriteFolds(folds, [new("covid", "byol", 0, 1.0, 425, "auc", null), new("covid", "byol", 1, 0.5, 212, "auc", 0.8125)]);

        Assert.Equal(
            "task,init,fraction,metric,n,mean,std,ci_low,ci_high,train_images,min_class_images,images_per_class\n"u8.ToArray()
                .Concat("covid,spark,0.25,auc,5,0.30000000000000004,1E-07,-0.5,0.3333333333333333,106.4,50,53.2\n"u8.ToArray()),
            File.ReadAllBytes(summary));
        Assert.Equal(
            "task,fraction,metric,init,baseline,n,mean_difference,ci_low,ci_high,test,statistic,p_value\n"u8.ToArray()
                .Concat("brain,1.0,f1,spark,scratch,6,0.05,,,paired-t,-inf,0\n"u8.ToArray())
                .Concat("brain,0.1,f1,spark,byol,6,-1E+300,2,3,wilcoxon,inf,5E-324\n"u8.ToArray()),
            File.ReadAllBytes(comparisons));
        Assert.Equal(
            "task,init,fold,fraction,train_images,metric,value\ncovid,byol,0,1.0,425,auc,\ncovid,byol,1,0.5,212,auc,0.8125\n"u8.ToArray(),
            File.ReadAllBytes(folds));
    }

    [Fact]
    public void AnotherHeaderIsRefused()
    {
        var path = temp.Combine("summary.csv");
        File.WriteAllText(path, "task,init,fraction,metric,n,mean,sd,ci_low,ci_high,train_images,min_class_images,images_per_class\n");

        var error = Assert.Throws<DataFormatException>(() => AggregateFiles.ReadSummary(path));

        Assert.Contains($"{path}: line 1: the header is 'task,init,fraction,metric,n,mean,sd,", error.Message);
    }

    [Theory]
    [InlineData("covid,byol,1.0,auc,five,0.8,,,,10,5,5", "line 2, column 5 (n): 'five' is not an integer")]
    [InlineData("covid,byol,1.0,auc,5,0.8x,,,,10,5,5", "line 2, column 6 (mean): '0.8x' is not a number")]
    [InlineData("covid,byol,,auc,5,0.8,,,,10,5,5", "line 2, column 3 (fraction): '' is not a finite number")]
    [InlineData(",byol,1.0,auc,5,0.8,,,,10,5,5", "line 2, column 1 (task): '' is empty")]
    [InlineData("covid,byol,1.0,auc,5,0.8,,,,10,5", "line 2: 11 field(s), expected 12")]
    [InlineData("\"covid,byol,1.0,auc,5,0.8,,,,10,5,5", "line 2: a quoted field is not closed on its line")]
    public void ABadFieldIsNamedByFileLineAndColumn(string line, string message)
    {
        var path = temp.Combine("summary.csv");
        File.WriteAllText(path, string.Join(',', AggregateFiles.SummaryColumns) + "\n" + line + "\n");

        var error = Assert.Throws<DataFormatException>(() => AggregateFiles.ReadSummary(path));

        Assert.Contains($"{path}: {message}", error.Message);
    }

    [Fact]
    public void AFieldThatWouldNeedQuotingIsRefusedOnWrite()
    {
        Assert.Throws<ArgumentException>(() => AggregateFiles.WriteFolds(temp.Combine("folds.csv"), [new FoldValue("covid", "by,ol", 0, 1.0, 1, "auc", 0.5)]));
    }
}
