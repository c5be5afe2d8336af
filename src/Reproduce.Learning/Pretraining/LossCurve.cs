using System.Globalization;
using System.Text;
using Reproduce.Core.Errors;
using Reproduce.Core.IO;
using Reproduce.Evaluation.Rendering;

namespace Reproduce.Learning.Pretraining;

/// <summary>One training step on the loss curve.</summary>
public sealed record StepRecord(long Step, double Epoch, double Loss, double LearningRate);

/// <summary>The pre-training loss curve as CSV (<c>step,epoch,loss,learning_rate</c>), written whole and atomically.</summary>
public static class LossCurve
{
    /// <summary>The render stage reads it too, with Evaluation's reader (Evaluation does not see Learning).</summary>
    public const string FileName = PretrainLossCurve.FileName;
    private const string Header = "step,epoch,loss,learning_rate";

    public static void Write(string path, IEnumerable<StepRecord> records)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var r in records)
        {
            text.Append(CultureInfo.InvariantCulture, $"{r.Step},{r.Epoch:R},{r.Loss:R},{r.LearningRate:R}\n");
        }

        AtomicFile.Write(path, Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>The records of steps before <paramref name="completedSteps"/> (a checkpoint's), as an interrupted run left them.</summary>
    public static List<StepRecord> Read(string path, long completedSteps)
    {
        var records = new List<StepRecord>();
        if (!File.Exists(path))
        {
            return records;
        }

        var lines = File.ReadAllLines(path);
        for (var i = 1; i < lines.Length; i++)
        {
            var fields = lines[i].Split(',');
            if (fields.Length != 4
                || !long.TryParse(fields[0], CultureInfo.InvariantCulture, out var step)
                || !double.TryParse(fields[1], CultureInfo.InvariantCulture, out var epoch)
                || !double.TryParse(fields[2], CultureInfo.InvariantCulture, out var loss)
                || !double.TryParse(fields[3], CultureInfo.InvariantCulture, out var learningRate))
            {
                throw new DataFormatException(path, $"line {i + 1}: expected {Header}, got '{lines[i]}'");
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
