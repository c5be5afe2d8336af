using System.Globalization;
using CsvHelper;
using Reproduce.Core.Errors;

namespace Reproduce.Learning.Pretraining;

/// <summary>
/// The CSV of Learning's training curves (pre-training's <c>loss.csv</c>, fine-tuning's <c>curve.csv</c>), through
/// CsvHelper: a comma, records ending in "\n", UTF-8 without a byte order mark, invariant culture, every number
/// round-trip (<c>"R"</c>, so a diverged loss reads <c>NaN</c>). Their fields are numbers and booleans, which never
/// need quoting, so a curve is the same bytes on every machine.
/// </summary>
internal static class CurveCsv
{
    /// <summary>Spelled out in full, so a change of CsvHelper's defaults cannot change a byte.</summary>
    private static readonly CsvWriterOptions Writing = CsvWriterOptions.Default with
    {
        Mode = CsvMode.Rfc4180,
        Separator = ',',
        NewLine = "\n",
        Quoting = CsvQuoting.WhenNeeded,
        Injection = CsvInjection.None,
        WriteByteOrderMark = false,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    /// <summary>Always a comma, fields as written, every line a record (an empty one is reported), malformed quoting an error.</summary>
    private static readonly CsvReaderOptions Reading = CsvReaderOptions.Default with
    {
        Mode = CsvMode.Rfc4180,
        Separator = ',',
        HasHeader = false,
        TrimWhitespace = false,
        SkipEmptyLines = false,
        AllowLineBreaksInQuotes = false,
        TrackLineNumbers = true,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        MalformedData = CsvMalformedDataHandling.Throw,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    public static byte[] Bytes(IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, Writing, leaveOpen: true))
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
        using var csv = CsvReader.FromFile(path, Reading);
        while (Next(csv, path))
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

    private static bool Next(CsvReader csv, string path)
    {
        try
        {
            return csv.Read();
        }
        catch (CsvFormatException e)
        {
            throw new DataFormatException(path, e.Message, inner: e);
        }
    }
}
