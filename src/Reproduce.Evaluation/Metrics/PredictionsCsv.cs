using System.Globalization;
using Reproduce.Core.Errors;
using Reproduce.Core.IO;
using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Metrics;

/// <summary>
/// The per-image predictions file a finetune cell writes and <c>reproduce metrics</c> reads:
/// <code>
/// id,label,p_0,p_1
/// covid/2020.01.24.919183-p27-132.png,1,0.0312,0.9688
/// </code>
/// K (the number of classes) is the number of <c>p_k</c> columns in the header. Written and read in the CSV of
/// <see cref="CsvTable"/>: invariant culture, probabilities round-trip (<c>"R"</c>), an id holding a comma or a
/// quote quoted as in RFC 4180 (ids never hold line breaks). Reading validates everything metrics rely on, and
/// every problem names the file, the line and the column.
/// </summary>
public static class PredictionsCsv
{
    /// <summary>
    /// How far a row's probabilities may sum from 1: softmax outputs are stored from float32, whose
    /// sums are off by about 1e-7; anything beyond 1e-3 is not a probability vector.
    /// </summary>
    public const double SumTolerance = 1e-3;

    /// <summary>The largest predictions file read: the study's largest (OrganSMNIST's 8,829 test images, 11 classes) is about 2 MB.</summary>
    public const long MaxFileBytes = 64L << 20;

    /// <summary>The most classes a header may declare: the study's tasks have 2 and 11.</summary>
    public const int MaxClasses = 1_000;

    private const NumberStyles NumberStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    private static CultureInfo Invariant => CultureInfo.InvariantCulture;

    public static void Write(string path, Predictions predictions)
    {
        foreach (var row in predictions.Rows)
        {
            if (row.Id.Length == 0 || row.Id.AsSpan().ContainsAny('\r', '\n'))
            {
                throw new ArgumentException($"id '{row.Id}': an id is not empty and holds no line break", nameof(predictions));
            }

            if (row.Probabilities.Count != predictions.Classes || (uint)row.Label >= (uint)predictions.Classes)
            {
                throw new ArgumentException($"id '{row.Id}': label {row.Label} and {row.Probabilities.Count} probabilities do not fit {predictions.Classes} classes", nameof(predictions));
            }
        }

        File.WriteAllText(path, CsvTable.Text(
            [.. Enumerable.Range(0, predictions.Classes + 2).Select(ColumnName)],
            predictions.Rows.Select(row => (IReadOnlyList<string>)
                [row.Id, row.Label.ToString(Invariant), .. row.Probabilities.Select(p => p.ToString("R", Invariant))])));
    }

    /// <summary>Reads and validates a predictions file; every problem is a <see cref="DataFormatException"/> naming the line and column.</summary>
    public static Predictions Read(string path)
    {
        using var reader = new StringReader(BoundedFile.ReadText(path, MaxFileBytes, problem => new DataFormatException(path, problem)));
        return Read(reader, path);
    }

    /// <summary>Reads predictions from <paramref name="reader"/>; <paramref name="path"/> names the source in errors.</summary>
    public static Predictions Read(TextReader reader, string path)
    {
        using var records = CsvTable.Records(reader, path).GetEnumerator();
        if (!records.MoveNext())
        {
            throw Problem(path, 1, "the file is empty; expected the header 'id,label,p_0,p_1,…'");
        }

        var columns = records.Current.Fields;
        var classes = columns.Length - 2;
        if (classes > MaxClasses)
        {
            throw Problem(path, 1, $"the header has {classes:N0} probability columns, more than the {MaxClasses:N0} classes a task may have");
        }

        for (var c = 0; c < columns.Length; c++)
        {
            if (columns[c] != ColumnName(c))
            {
                throw Problem(path, 1, c, $"found {Core.Errors.Quoted.Bounded(columns[c])}; the header is id,label,p_0,…,p_{{K-1}}");
            }
        }

        if (classes < 2)
        {
            throw Problem(path, 1, $"the header has {Math.Max(classes, 0)} probability column(s); a classification has at least 2 (id,label,p_0,p_1,…)");
        }

        var rows = new List<Prediction>();
        var lineOfId = new Dictionary<string, long>(StringComparer.Ordinal);
        while (records.MoveNext())
        {
            var (lineNumber, fields) = records.Current;
            if (fields.Length < columns.Length)
            {
                throw Problem(path, lineNumber, fields.Length, $"missing; the line has {fields.Length} field(s), the header {columns.Length}");
            }

            if (fields.Length > columns.Length)
            {
                throw new DataFormatException(path, $"line {lineNumber}, column {columns.Length + 1}: unexpected; the line has {fields.Length} fields, the header {columns.Length}");
            }

            var id = fields[0];
            if (id.Length == 0)
            {
                throw Problem(path, lineNumber, 0, "the id is empty");
            }

            if (!lineOfId.TryAdd(id, lineNumber))
            {
                throw Problem(path, lineNumber, 0, $"{Core.Errors.Quoted.Bounded(id)} repeats the id of line {lineOfId[id]}");
            }

            var label = Label(fields[1], classes, path, lineNumber);
            var probabilities = new double[classes];
            for (var k = 0; k < classes; k++)
            {
                probabilities[k] = Probability(fields[k + 2], path, lineNumber, k + 2);
            }

            var sum = probabilities.Sum();
            if (Math.Abs(sum - 1.0) > SumTolerance)
            {
                throw new DataFormatException(path, $"line {lineNumber}, columns 3–{columns.Length} (p_0…p_{classes - 1}): the probabilities sum to {sum.ToString("R", Invariant)}, not 1 within {SumTolerance.ToString(Invariant)}");
            }

            rows.Add(new Prediction(id, label, probabilities));
        }

        if (rows.Count == 0)
        {
            throw Problem(path, 2, "no predictions after the header");
        }

        return new Predictions(classes, rows);
    }

    /// <summary>The name of column <paramref name="index"/> (0-based): id, label, p_0, p_1, …</summary>
    private static string ColumnName(int index) => index switch
    {
        0 => "id",
        1 => "label",
        _ => "p_" + (index - 2).ToString(Invariant),
    };

    private static int Label(string text, int classes, string path, long line)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, Invariant, out var label))
        {
            throw Problem(path, line, 1, $"{Core.Errors.Quoted.Bounded(text)} is not an integer");
        }

        if ((uint)label >= (uint)classes)
        {
            throw Problem(path, line, 1, $"{label} is outside 0..{classes - 1} (the header has {classes} classes)");
        }

        return label;
    }

    private static double Probability(string text, string path, long line, int column)
    {
        if (!double.TryParse(text, NumberStyle, Invariant, out var probability))
        {
            throw Problem(path, line, column, $"{Core.Errors.Quoted.Bounded(text)} is not a number");
        }

        if (!double.IsFinite(probability))
        {
            throw Problem(path, line, column, $"{Core.Errors.Quoted.Bounded(text)} is not a finite number");
        }

        if (probability is < 0.0 or > 1.0)
        {
            throw Problem(path, line, column, $"{text} is outside [0, 1]");
        }

        return probability;
    }

    private static DataFormatException Problem(string path, long line, string problem) => new(path, $"line {line}: {problem}");

    /// <summary>A problem in one field: <c>line 7, column 4 (p_1): …</c>, the column 1-based and named as in the header.</summary>
    private static DataFormatException Problem(string path, long line, int columnIndex, string problem) =>
        new(path, $"line {line}, column {columnIndex + 1} ({ColumnName(columnIndex)}): {problem}");
}
