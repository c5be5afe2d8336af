using System.Globalization;
using Reproduce.Core.Errors;
using Reproduce.Core.IO;
using Reproduce.Evaluation.Rendering;

namespace Reproduce.Learning.Pretraining;

/// <summary>One training step on the loss curve.</summary>
public sealed record StepRecord(long Step, double Epoch, double Loss, double LearningRate);

/// <summary>The pre-training loss curve as CSV (<c>step,epoch,loss,learning_rate</c>, <see cref="CurveCsv"/>), written whole and atomically.</summary>
public static class LossCurve
{
    /// <summary>The render stage reads it too, with Evaluation's reader (Evaluation does not see Learning).</summary>
    public const string FileName = PretrainLossCurve.FileName;
    private static readonly string[] Header = ["step", "epoch", "loss", "learning_rate"];

    public static void Write(string path, IEnumerable<StepRecord> records) =>
        AtomicFile.Write(path, CurveCsv.Bytes(Header, records.Select(r => new[]
        {
            CurveCsv.Number(r.Step), CurveCsv.Number(r.Epoch), CurveCsv.Number(r.Loss), CurveCsv.Number(r.LearningRate),
        })));

    /// <summary>The records of steps before <paramref name="completedSteps"/> (a checkpoint's), as an interrupted run left them.</summary>
    public static List<StepRecord> Read(string path, long completedSteps)
    {
        var records = new List<StepRecord>();
        if (!File.Exists(path))
        {
            return records;
        }

        foreach (var (line, fields) in CurveCsv.DataRecords(path))
        {
            if (fields.Length != Header.Length
                || !long.TryParse(fields[0], CultureInfo.InvariantCulture, out var step)
                || !double.TryParse(fields[1], CultureInfo.InvariantCulture, out var epoch)
                || !double.TryParse(fields[2], CultureInfo.InvariantCulture, out var loss)
                || !double.TryParse(fields[3], CultureInfo.InvariantCulture, out var learningRate))
            {
                throw new DataFormatException(path, $"line {line}: expected {string.Join(',', Header)}, got '{string.Join(',', fields)}'");
            }

            if (step < completedSteps)
            {
                records.Add(new StepRecord(step, epoch, loss, learningRate));
            }
        }

        return records.Count == completedSteps
            ? records
            : throw new DataFormatException(path, $"holds {records.Count} of the checkpoint's {completedSteps} steps");
    }
}
