using Reproduce.Evaluation.Aggregation;
using Reproduce.Evaluation.Rendering;

namespace Reproduce.Evaluation.Tests.Rendering;

public sealed class TableWritersTests
{
    private static MetricTable CovidAuc() => MetricTable.From(SampleRenderInput.Create(), "covid", "auc");

    [Fact]
    public void MarkdownBoldsTheBestMeanPerColumnAndMarksFewFoldsAndUndefinedCells()
    {
        Assert.Equal(
            """
            | Init | 100% | 25% | 10% |
            |---|---:|---:|---:|
            | scratch | 0.812 ± 0.021 | 0.700 ± 0.050 | 0.610 (n=1) |
            | byol | **0.850 ± 0.010** | **0.781 ± 0.030** (n=2) | **0.650 ± 0.040** |
            | spark | **0.850 ± 0.020** | n/a | n/a |

            """,
            TableWriters.Markdown(CovidAuc()));
    }

    [Fact]
    public void ColumnsAreTheTasksFractionsOverEveryMetricLargestFirst()
    {
        var f1 = MetricTable.From(SampleRenderInput.Create(), "covid", "f1");

        Assert.Equal([1.0, 0.25, 0.1], f1.Fractions);
        Assert.Equal(["scratch", "byol", "spark"], f1.Rows.Select(row => row.Init));
        Assert.Equal("n/a", f1.CellText(0, 1, "±", value => value));
    }

    [Fact]
    public void CsvCarriesMeanStdAndNPerFractionWithEmptyFieldsWhereUndefined()
    {
        Assert.Equal(
            """
            init,mean_1,std_1,n_1,mean_0.25,std_0.25,n_0.25,mean_0.1,std_0.1,n_0.1
            scratch,0.8123,0.0214,3,0.7,0.05,3,0.61,,1
            byol,0.8501,0.0102,3,0.7812,0.0301,2,0.65,0.04,3
            spark,0.8504,0.02,3,,,0,,,

            """,
            TableWriters.Csv(CovidAuc()));
    }

    [Fact]
    public void LatexIsABooktabsTableWithEscapedText()
    {
        Assert.Equal(
            """
            \begin{table}[ht]
            \centering
            \caption{covid: AUC, mean $\pm$ standard deviation over folds by training fraction; best mean per column in bold.}
            \label{tab:covid-auc}
            \begin{tabular}{lrrr}
            \toprule
            Init & 100\% & 25\% & 10\% \\
            \midrule
            scratch & 0.812 $\pm$ 0.021 & 0.700 $\pm$ 0.050 & 0.610 (n=1) \\
            byol & \textbf{0.850 $\pm$ 0.010} & \textbf{0.781 $\pm$ 0.030} (n=2) & \textbf{0.650 $\pm$ 0.040} \\
            spark & \textbf{0.850 $\pm$ 0.020} & n/a & n/a \\
            \bottomrule
            \end{tabular}
            \end{table}

            """,
            TableWriters.Latex(CovidAuc()));
    }

    [Fact]
    public void LatexEscapesEverySpecialCharacter()
    {
        Assert.Equal(
            @"a\_b \& c\% \$ \# \{x\} \textasciitilde{} \textasciicircum{} \textbackslash{}",
            TableWriters.EscapeLatex(@"a_b & c% $ # {x} ~ ^ \"));
    }

    [Fact]
    public void OneFoldShowsJustTheMeanWhenThatIsEveryFold()
    {
        var input = SampleRenderInput.Create() with
        {
            Folds = 1,
            Summaries = [new SummaryRow("covid", "scratch", 1.0, "auc", 1, 0.8, double.NaN, double.NaN, double.NaN, 10, 4, 5)],
        };

        Assert.Equal("**0.800**", MetricTable.From(input, "covid", "auc").CellText(0, 0, "±", value => $"**{value}**"));
    }

    [Fact]
    public void TwoRowsForOneCellAreRejected()
    {
        var input = SampleRenderInput.Create();
        input = input with { Summaries = [.. input.Summaries, input.Summaries[0]] };

        Assert.Throws<ArgumentException>(() => MetricTable.From(input, "covid", "auc"));
    }

    [Fact]
    public void AnIdentifierThatNeedsQuotingIsQuotedInBothCsvTables()
    {
        var input = SampleRenderInput.Create();
        input = input with
        {
            Inits = ["scratch", "by,ol", "spark"],
            Summaries = [.. input.Summaries.Select(row => row.Init == "byol" ? row with { Init = "by,ol" } : row)],
        };

        Assert.Contains("\n\"by,ol\",0.8501,0.0102,3,", TableWriters.Csv(MetricTable.From(input, "covid", "auc")));
        Assert.Contains("\ncovid,\"by,ol\",1,auc,", TableWriters.ResultsCsv(input));
    }

    [Fact]
    public void ResultsCsvIsLongFormInTaskMetricInitAndDescendingFractionOrder()
    {
        var lines = TableWriters.ResultsCsv(SampleRenderInput.Create()).Split('\n');

        Assert.Equal("task,init,fraction,metric,n,mean,std,ci_low,ci_high,train_images,min_class_images,images_per_class", lines[0]);
        Assert.Equal("covid,scratch,1,auc,3,0.8123,0.0214,0.7695,0.8551,100,40,50", lines[1]);
        Assert.Equal("covid,scratch,0.1,auc,1,0.61,,,,10,4,5", lines[3]);
        Assert.Equal("covid,spark,0.25,auc,0,,,,,25,10,12.5", lines[8]);
        Assert.Equal("covid,scratch,1,f1,3,0.7,0.03,0.64,0.76,100,40,50", lines[9]);
        Assert.Equal("organsmnist,spark,1,f1,3,0.8,0.01,0.78,0.82,100,40,50", lines[16]);
        Assert.Equal("", lines[17]);
        Assert.Equal(18, lines.Length);
    }
}
