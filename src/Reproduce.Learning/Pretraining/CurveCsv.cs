using System.Globalization;
using CsvHelper;
using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Learning.Pretraining;

/// <summary>
/// The CSV of Learning's training curves (pre-training's <c>loss.csv</c>, fine-tuning's <c>curve.csv</c>), written and
/// read in Evaluation's <see cref="CsvFormat"/>. What is its own is the numbers: every one round-trip (<c>"R"</c>), so a
/// diverged loss reads <c>NaN</c> and an infinite one <c>Infinity</c>. Their fields are numbers and booleans, which
/// never need quoting, so a curve is the same bytes on every machine.
/// </summary>
internal static class CurveCsv
{
    public static byte[] Bytes(IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, CsvFormat.Writing, leaveOpen: true))
        {
            csv.WriteHeader([.. header]);
            foreach (var row in rows)
            {
                csv.WriteRecord(row);
            }
        }

        return stream.ToArray();
    }

    /// <summary>The records after the header, each with the line it starts on; malformed quoting names the file and line.</summary>
    public static IEnumerable<(long Line, string[] Fields)> DataRecords(string path)
    {
        using var csv = CsvReader.FromFile(path, CsvFormat.Reading(path));
        while (csv.Read())
        {
            if (csv.LineNumber == 1)
            {
                continue;
            }

            var fields = new string[csv.FieldCount];
            for (var index = 0; index < fields.Length; index++)
            {
                fields[index] = csv.GetString(index);
            }

            yield return (csv.LineNumber, fields);
        }
    }

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
