using System.Globalization;
using CsvHelper;
using Reproduce.Core.Errors;

namespace Reproduce.Evaluation.Aggregation;

/// <summary>
/// The CsvHelper options of every CSV file Evaluation and Learning write and read (<see cref="CsvTable"/>, and
/// Learning's <c>CurveCsv</c> for <c>loss.csv</c> and <c>curve.csv</c>): a comma, records ending in "\n" whatever the
/// platform, UTF-8 without a byte order mark, a field quoted only when it holds a comma, a quote or a line break
/// (RFC 4180), invariant culture. How numbers are spelled is each file's own. The same table is therefore the same
/// bytes on every machine.
/// </summary>
public static class CsvFormat
{
    /// <summary>How the files are written. Spelled out in full, so a change of CsvHelper's defaults cannot change a byte.</summary>
    public static readonly CsvWriterOptions Writing = CsvWriterOptions.Default with
    {
        Mode = CsvMode.Rfc4180,
        Separator = ',',
        NewLine = "\n",
        Quoting = CsvQuoting.WhenNeeded,
        Injection = CsvInjection.None,
        WriteByteOrderMark = false,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    /// <summary>
    /// How they are read: always a comma (never guessed), no header handling (each reader checks the first record
    /// itself, to name what it expected), fields kept as written (no trimming), an empty line a record (so it is
    /// reported, not skipped), and a quoted field that is not closed on its line or has text after its closing quote
    /// a <see cref="DataFormatException"/> naming <paramref name="path"/> and the line. A quote inside an unquoted
    /// field stays text, as RFC 4180's lenient readers keep it.
    /// </summary>
    public static CsvReaderOptions Reading(string path) => CsvReaderOptions.Default with
    {
        Mode = CsvMode.Rfc4180,
        Separator = ',',
        HasHeader = false,
        TrimWhitespace = false,
        SkipEmptyLines = false,
        AllowLineBreaksInQuotes = false,
        TrackLineNumbers = true,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        MalformedData = CsvMalformedDataHandling.Recover,
        OnMalformedRecord = record =>
        {
            if (record.Reason != CsvMalformedReason.StrayQuote)
            {
                throw new DataFormatException(path, $"line {record.LineNumber}: {Problem(record.Reason)}");
            }
        },
        FormatProvider = CultureInfo.InvariantCulture,
    };

    private static string Problem(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.UnterminatedQuote or CsvMalformedReason.LineBreakInQuotes => "a quoted field is not closed on its line",
        CsvMalformedReason.TextAfterClosingQuote => "text after the closing quote of a quoted field",
        _ => $"malformed CSV ({reason})",
    };
}
