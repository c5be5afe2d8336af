using System.Globalization;
using CsvHelper;
using Reproduce.Core.Errors;

namespace Reproduce.Evaluation.Aggregation;

/// <summary>
/// The CSV of every file Evaluation writes and reads (aggregate files, predictions, rendered tables), in
/// <see cref="CsvFormat"/>: doubles in their shortest round-trip form, a number that is not defined (NaN) an empty
/// field, and infinities <c>inf</c> / <c>-inf</c> (as numpy and pandas read them).
/// </summary>
internal static class CsvTable
{
    /// <summary>Writes the header and the rows; an aggregate field never needs quoting (identifiers and numbers), so one that would is a bug.</summary>
    public static void Write(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        using var csv = CsvWriter.ToFile(path, CsvFormat.Writing);
        Write(csv, header, rows.Select(row => Unquoted(path, row)));
    }

    /// <summary>The header and the rows as CSV text, fields quoted where they need it.</summary>
    public static string Text(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, CsvFormat.Writing, leaveOpen: true))
        {
            Write(csv, header, rows);
        }

        return text.ToString();
    }

    /// <summary>Every record of the file as its fields, with the line it starts on; malformed quoting is a <see cref="DataFormatException"/> naming the line.</summary>
    public static IEnumerable<(long Line, string[] Fields)> Records(TextReader reader, string path)
    {
        using var csv = CsvReader.Create(reader, CsvFormat.Reading(path), leaveOpen: true);
        while (csv.Read())
        {
            var fields = new string[csv.FieldCount];
            for (var index = 0; index < fields.Length; index++)
            {
                fields[index] = csv.GetString(index);
            }

            yield return (csv.LineNumber, fields);
        }
    }

    /// <summary>Reads every data line with <paramref name="parse"/>, after checking the header is exactly <paramref name="header"/>.</summary>
    public static IReadOnlyList<T> Read<T>(string path, IReadOnlyList<string> header, Func<Line, T> parse)
    {
        using var reader = new StreamReader(path);
        using var records = Records(reader, path).GetEnumerator();
        var expected = string.Join(',', header);
        var found = records.MoveNext() ? string.Join(',', records.Current.Fields) : "";
        if (found != expected)
        {
            throw new DataFormatException(path, $"line 1: the header is '{found}', expected '{expected}'");
        }

        var rows = new List<T>();
        while (records.MoveNext())
        {
            var (line, fields) = records.Current;
            if (fields.Length != header.Count)
            {
                throw new DataFormatException(path, $"line {line}: {fields.Length} field(s), expected {header.Count} ({expected})");
            }

            rows.Add(parse(new Line(path, line, header, fields)));
        }

        return rows;
    }

    public static string Format(double value) => value switch
    {
        double.NaN => "",
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Write(CsvWriter csv, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        csv.WriteHeader([.. header]);
        foreach (var row in rows)
        {
            csv.WriteRecord([.. row]);
        }
    }

    private static IReadOnlyList<string> Unquoted(string path, IReadOnlyList<string> row) =>
        row.FirstOrDefault(field => field.AsSpan().IndexOfAny(",\"\r\n") >= 0) is { } unsafeField
            ? throw new ArgumentException($"'{unsafeField}' cannot be written to {path}: aggregate fields hold no commas, quotes or line breaks")
            : row;

    /// <summary>One data line; its accessors name the file, line and column of a field they cannot read.</summary>
    public sealed class Line(string path, long number, IReadOnlyList<string> header, string[] fields)
    {
        public string Text(int column) => fields[column].Length > 0 ? fields[column] : throw Error(column, "is empty");

        public int Integer(int column) =>
            int.TryParse(fields[column], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw Error(column, "is not an integer");

        /// <summary>A number; an empty field is NaN (not defined).</summary>
        public double Real(int column) => fields[column] switch
        {
            "" => double.NaN,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            var text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw Error(column, "is not a number"),
        };

        /// <summary>A number that must be finite (a fraction, a count's mean).</summary>
        public double Finite(int column) => Real(column) is var value && double.IsFinite(value) ? value : throw Error(column, "is not a finite number");

        /// <summary>A number that must be zero or more (a count, an epoch's progress).</summary>
        public double NonNegative(int column) => Finite(column) is var value && value >= 0 ? value : throw Error(column, "is negative");

        /// <summary>A number that must be zero or more, or NaN for an empty field (not defined).</summary>
        public double NonNegativeOrUndefined(int column) => fields[column].Length == 0 ? double.NaN : NonNegative(column);

        /// <summary>Whether the field is exactly <paramref name="text"/> (a word a file writes in place of a number).</summary>
        public bool Is(int column, string text) => fields[column] == text;

        /// <summary>A number or, for an empty field, null.</summary>
        public double? Optional(int column) => fields[column].Length == 0 ? null : Real(column);

        private DataFormatException Error(int column, string problem) =>
            new(path, $"line {number}, column {column + 1} ({header[column]}): '{fields[column]}' {problem}");
    }
}
