using Reproduce.Core.Errors;
using Reproduce.Evaluation.Metrics;

namespace Reproduce.Evaluation.Tests.Metrics;

public class PredictionsCsvTests : IDisposable
{
    private const string Header = "id,label,p_0,p_1\n";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "reproduce-tests", Guid.NewGuid().ToString("N"));

    public PredictionsCsvTests()
    {
        Directory.CreateDirectory(folder);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void WritesAndReadsBackEveryBit()
    {
        // float32 softmax outputs widened to double, and ids that need quoting.
        var predictions = new Predictions(3,
        [
            new Prediction("organ/000017.png", 2, [(double)0.1f, (double)0.2f, (double)0.7f]),
            new Prediction("a, \"quoted\" id", 0, [1.0 / 3, 1.0 / 3, 1.0 / 3]),
            new Prediction("tiny", 1, [5e-324, 1.0, 0.0]),
        ]);
        var path = Path.Combine(folder, "predictions.csv");

        PredictionsCsv.Write(path, predictions);
        var read = PredictionsCsv.Read(path);

        Assert.StartsWith("id,label,p_0,p_1,p_2\norgan/000017.png,2,0.10000000149011612,", File.ReadAllText(path));
        Assert.Contains("\n\"a, \"\"quoted\"\" id\",0,", File.ReadAllText(path));
        Assert.Equal(3, read.Classes);
        Assert.Equal(predictions.Rows.Select(r => r.Id), read.Rows.Select(r => r.Id));
        Assert.Equal(predictions.Labels, read.Labels);
        Assert.Equal(predictions.Rows.SelectMany(r => r.Probabilities), read.Rows.SelectMany(r => r.Probabilities));
    }

    [Fact]
    public void TheFileIsExactlyTheseBytes()
    {
        // "\n" line endings, no byte order mark, round-trip probabilities, an id quoted only where it holds a comma or a quote.
        var predictions = new Predictions(2,
        [
            new Prediction("covid/a.png", 1, [(double)0.1f, 1 - (double)0.1f]),
            new Prediction("x,\"y\"", 0, [1.0, 0.0]),
            new Prediction(" spaced \"", 0, [0.5, 0.5]),
        ]);
        var path = Path.Combine(folder, "predictions.csv");

        PredictionsCsv.Write(path, predictions);

        Assert.Equal(
            "id,label,p_0,p_1\ncovid/a.png,1,0.10000000149011612,0.8999999985098839\n\"x,\"\"y\"\"\",0,1,0\n\" spaced \"\"\",0,0.5,0.5\n"u8.ToArray(),
            File.ReadAllBytes(path));
    }

    [Fact]
    public void AcceptsWindowsLineEndingsAndSumsWithinTheTolerance()
    {
        var predictions = Read("id,label,p_0,p_1\r\na,1,0.4996,0.5\r\n");

        Assert.Equal(1, Assert.Single(predictions.Rows).Label);
    }

    [Fact]
    public void AnIdWithALineBreakCannotBeWritten()
    {
        var predictions = new Predictions(2, [new Prediction("a\nb", 0, [1.0, 0.0])]);

        Assert.Throws<ArgumentException>(() => PredictionsCsv.Write(Path.Combine(folder, "x.csv"), predictions));
    }

    [Theory]
    [InlineData("", "line 1: the file is empty; expected the header 'id,label,p_0,p_1,…'")]
    [InlineData("id,label,p_0,p1\n", "line 1, column 4 (p_1): found 'p1'; the header is id,label,p_0,…,p_{K-1}")]
    [InlineData("image,label,p_0,p_1\n", "line 1, column 1 (id): found 'image'; the header is id,label,p_0,…,p_{K-1}")]
    [InlineData("id,label,p_0\na,0,1\n", "line 1: the header has 1 probability column(s); a classification has at least 2 (id,label,p_0,p_1,…)")]
    [InlineData(Header, "line 2: no predictions after the header")]
    [InlineData(Header + "a,0,0.5\n", "line 2, column 4 (p_1): missing; the line has 3 field(s), the header 4")]
    [InlineData(Header + "a,0,0.5,0.5\n\nb,1,0.5,0.5\n", "line 3, column 2 (label): missing; the line has 1 field(s), the header 4")]
    [InlineData(Header + "a,0,0.5,0.5,0\n", "line 2, column 5: unexpected; the line has 5 fields, the header 4")]
    [InlineData(Header + "a,1.0,0.5,0.5\n", "line 2, column 2 (label): '1.0' is not an integer")]
    [InlineData(Header + "a,2,0.5,0.5\n", "line 2, column 2 (label): 2 is outside 0..1 (the header has 2 classes)")]
    [InlineData(Header + "a,-1,0.5,0.5\n", "line 2, column 2 (label): -1 is outside 0..1 (the header has 2 classes)")]
    [InlineData(Header + "a,0,0.5, 0.5\n", "line 2, column 4 (p_1): ' 0.5' is not a number")]
    [InlineData(Header + "a,0,NaN,0.5\n", "line 2, column 3 (p_0): 'NaN' is not a finite number")]
    [InlineData(Header + "a,0,1.1,-0.1\n", "line 2, column 3 (p_0): 1.1 is outside [0, 1]")]
    [InlineData(Header + "a,0,0.5,0.4\n", "line 2, columns 3–4 (p_0…p_1): the probabilities sum to 0.9, not 1 within 0.001")]
    [InlineData(Header + "a,0,0.5,0.5\nb,1,0.5,0.5\na,1,0.5,0.5\n", "line 4, column 1 (id): 'a' repeats the id of line 2")]
    [InlineData(Header + ",0,0.5,0.5\n", "line 2, column 1 (id): the id is empty")]
    [InlineData(Header + "\"a,0,0.5,0.5\n", "line 2: a quoted field is not closed on its line")]
    [InlineData(Header + "\"a\"b,0,0.5,0.5\n", "line 2: text after the closing quote of a quoted field")]
    public void AMalformedFileNamesItselfTheLineAndTheColumn(string content, string problem)
    {
        var path = Path.Combine(folder, "preds.csv");
        File.WriteAllText(path, content);

        var error = Assert.Throws<DataFormatException>(() => PredictionsCsv.Read(path));

        Assert.Equal($"{path}: {problem}", error.Message);
        Assert.Equal(path, error.Path);
        Assert.Equal(ExitCodes.InvalidInput, error.ExitCode);
    }

    [Fact]
    public void AnErrorDeepInTheFileCountsItsLineFromTheHeader()
    {
        var rows = string.Concat(Enumerable.Range(0, 5).Select(i => $"img{i},{i % 2},0.25,0.75\n"));
        var path = Path.Combine(folder, "preds.csv");
        File.WriteAllText(path, Header + rows + "img5,1,0.5,abc\n");

        var error = Assert.Throws<DataFormatException>(() => PredictionsCsv.Read(path));

        Assert.EndsWith("preds.csv: line 7, column 4 (p_1): 'abc' is not a number", error.Message);
    }

    private Predictions Read(string content)
    {
        var path = Path.Combine(folder, "predictions.csv");
        File.WriteAllText(path, content);
        return PredictionsCsv.Read(path);
    }

    [Fact]
    public void AHeaderOfAMillionColumnsIsRefusedByLineAndCount()
    {
        var path = Path.Combine(folder, "wide.csv");
        File.WriteAllText(path, "id,label," + string.Join(',', Enumerable.Range(0, 1_000_000).Select(k => $"p_{k}")) + "\n");

        var error = Assert.Throws<DataFormatException>(() => PredictionsCsv.Read(path));

        Assert.Equal($"{path}: line 1: the header has 1,000,000 probability columns, more than the 1,000 classes a task may have", error.Message);
    }

    [Fact]
    public void ADeviceThatNeverEndsIsRefusedUnread()
    {
        var error = Assert.Throws<DataFormatException>(() => PredictionsCsv.Read("/dev/zero"));

        Assert.Equal("/dev/zero: is a character device, not a regular file", error.Message);
    }
}
