namespace Reproduce.Cli.Progress;

/// <summary>Rate and time left of one cell's progress, from its first report to its latest.</summary>
internal sealed class RateEstimator(TimeProvider clock)
{
    private DateTimeOffset? firstAt;
    private double firstDone;

    public string Describe(double done, double total, string unit)
    {
        var now = clock.GetUtcNow();
        if (firstAt is null)
        {
            (firstAt, firstDone) = (now, done);
        }

        var seconds = (now - firstAt.Value).TotalSeconds;
        var rate = seconds > 0 ? (done - firstDone) / seconds : 0;
        var text = $"{Format(done)}/{Format(total)} {unit}";
        if (rate > 0)
        {
            var left = TimeSpan.FromSeconds(Math.Max(0, total - done) / rate);
            text += $", {Format(rate)} {unit}/s, ETA {left:hh\\:mm\\:ss}";
        }

        return text;
    }

    private static string Format(double value) => value >= 100 ? value.ToString("0") : value.ToString("0.##");
}
