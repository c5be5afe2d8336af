namespace Reproduce.Data.Downloads;

/// <summary>How often and how patiently a download is retried after a transient failure.</summary>
public sealed record RetryPolicy(int Attempts, TimeSpan FirstDelay, double Backoff)
{
    public static readonly RetryPolicy Default = new(6, TimeSpan.FromSeconds(2), 2.0);

    public TimeSpan DelayBefore(int attempt) => TimeSpan.FromTicks((long)(FirstDelay.Ticks * Math.Pow(Backoff, attempt - 2)));
}
