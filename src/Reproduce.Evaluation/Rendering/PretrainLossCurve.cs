using Reproduce.Core.Errors;
using Reproduce.Evaluation.Aggregation;

namespace Reproduce.Evaluation.Rendering;

/// <summary>
/// A pretrain cell's loss curve as the report draws it: the mean training loss of each epoch, first epoch first.
/// Read from the cell's <c>loss.csv</c> (<c>step,epoch,loss,learning_rate</c>, written by Learning's <c>LossCurve</c>),
/// whose <c>epoch</c> is the step's progress in epochs (step / steps per epoch), so its integer part numbers the epoch.
/// </summary>
public sealed record PretrainLossCurve(string Method, IReadOnlyList<double> EpochLosses)
{
    public const string FileName = "loss.csv";

    private static readonly string[] Header = ["step", "epoch", "loss", "learning_rate"];

    public static PretrainLossCurve Read(string method, string path)
    {
        // A diverged step's loss is NaN, and the curve shows it so.
        var steps = CsvTable.Read(path, Header, line => (Epoch: line.NonNegative(1), Loss: line.Real(2)));
        var sums = new SortedDictionary<long, (double Sum, int Count)>();
        foreach (var (epoch, loss) in steps)
        {
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
