using System.Globalization;
using Reproduce.Core.Errors;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// A pretrain cell's loss curve as the report draws it: the mean training loss of each epoch, first epoch first.
/// Read from the cell's <c>loss.csv</c> (<c>step,epoch,loss,learning_rate</c>, written by Learning's <c>LossCurve</c>),
/// whose <c>epoch</c> is the step's progress in epochs (step / steps per epoch), so its integer part numbers the epoch.
/// </summary>
public sealed record PretrainLossCurve(string Method, IReadOnlyList<double> EpochLosses)
{
    public const string FileName = "loss.csv";

    public static PretrainLossCurve Read(string method, string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines.Length > 0 ? lines[0].Split(',') : [];
        var (epochColumn, lossColumn) = (Array.IndexOf(header, "epoch"), Array.IndexOf(header, "loss"));
        if (epochColumn < 0 || lossColumn < 0)
        {
            throw new DataFormatException(path, "line 1: expected a header with the columns epoch and loss");
        }

        var sums = new SortedDictionary<long, (double Sum, int Count)>();
        for (var i = 1; i < lines.Length; i++)
        {
            var fields = lines[i].Split(',');
            if (fields.Length != header.Length
                || !double.TryParse(fields[epochColumn], CultureInfo.InvariantCulture, out var epoch) || !(epoch >= 0)
                || !double.TryParse(fields[lossColumn], CultureInfo.InvariantCulture, out var loss))
            {
                throw new DataFormatException(path, $"line {i + 1}: expected {header.Length} fields with a non-negative epoch and a loss, got '{lines[i]}'");
            }

            var index = (long)Math.Floor(epoch);
            var (sum, count) = sums.GetValueOrDefault(index);
            sums[index] = (sum + loss, count + 1);
        }

        if (sums.Count == 0)
        {
            throw new DataFormatException(path, "holds no step");
        }

        return new PretrainLossCurve(method, [.. sums.Values.Select(s => s.Sum / s.Count)]);
    }
}

/// <summary>
/// A cell the rendered numbers come from: its address and its folder relative to the cache root
/// (<c>&lt;stage&gt;/&lt;key[0..2]&gt;/&lt;key&gt;</c>, '/'-separated), which the reports link relative to the
/// render cell's own folder in the cache.
/// </summary>
public sealed record RenderedCell(string Address, string CachePath)
{
    /// <summary>The cell's folder as seen from the render cell's folder in the cache (three levels below the root).</summary>
    public string Link => $"../../../{CachePath}/";
}
