using System.Globalization;
using Reproduce.Core.Errors;

namespace Reproduce.Evaluation.Aggregation;

/// <summary>
/// The plain CSV of the aggregate files: a fixed header, comma-separated fields that never need quoting (identifiers
/// and numbers), invariant culture, doubles in their shortest round-trip form. A number that is not defined (NaN) is an
/// empty field, and infinities are <c>inf</c> / <c>-inf</c> (as numpy and pandas read them).
/// </summary>
internal static class CsvTable
{
    public static void Write(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        writer.WriteLine(string.Join(',', header));
        foreach (var row in rows)
        {
            if (row.FirstOrDefault(f => f.AsSpan().IndexOfAny(",\"\r\n") >= 0) is { } unsafeField)
            {
                throw new ArgumentException($"'{unsafeField}' cannot be written to {path}: aggregate fields hold no commas, quotes or line breaks");
            }

            writer.WriteLine(string.Join(',', row));
        }
    }

    /// <summary>Reads every data line with <paramref name="parse"/>, after checking the header is exactly <paramref name="header"/>.</summary>
    public static IReadOnlyList<T> Read<T>(string path, IReadOnlyList<string> header, Func<Line, T> parse)
    {
        var lines = File.ReadAllLines(path);
        var expected = string.Join(',', header);
        if (lines.Length == 0 || lines[0] != expected)
        {
            throw new DataFormatException(path, $"line 1: the header is '{(lines.Length == 0 ? "" : lines[0])}', expected '{expected}'");
        }

        var rows = new List<T>();
        for (var index = 1; index < lines.Length; index++)
        {
            var fields = lines[index].Split(',');
            if (fields.Length != header.Count)
            {
                throw new DataFormatException(path, $"line {index + 1}: {fields.Length} field(s), expected {header.Count} ({expected})");
            }

            rows.Add(parse(new Line(path, index + 1, header, fields)));
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

    /// <summary>One data line; its accessors name the file, line and column of a field they cannot read.</summary>
    public sealed class Line(string path, int number, IReadOnlyList<string> header, string[] fields)
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

        /// <summary>A number or, for an empty field, null.</summary>
        public double? Optional(int column) => fields[column].Length == 0 ? null : Real(column);

        private DataFormatException Error(int column, string problem) =>
            new(path, $"line {number}, column {column + 1} ({header[column]}): '{fields[column]}' {problem}");
    }
}
