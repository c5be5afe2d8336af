using System.Diagnostics;

namespace Reproduce.Core.Benchmarks;

/// <summary>
/// The peak working set of this process while a measurement runs, sampled every 10 ms. The kernel's own peak (VmHWM,
/// <see cref="Execution.ProcessMemory"/>) covers the whole life of the process, warm-up and generated inputs included;
/// this covers only the measured part.
/// </summary>
public sealed class PeakMemory : IDisposable
{
    private readonly Process process = Process.GetCurrentProcess();
    private readonly Timer sampler;
    private long peak;

    public PeakMemory() => sampler = new Timer(_ => Sample(), null, 0, 10);

    /// <summary>Stops sampling, waiting for a sample in flight, and returns the peak in bytes.</summary>
    public long Stop()
    {
        using (var stopped = new ManualResetEvent(false))
        {
            sampler.Dispose(stopped);
            stopped.WaitOne();
        }

        Sample();
        return Interlocked.Read(ref peak);
    }

    public void Dispose()
    {
        sampler.Dispose();
        process.Dispose();
    }

    private void Sample()
    {
        lock (process)
        {
            process.Refresh();
            var current = process.WorkingSet64;
            if (current > Interlocked.Read(ref peak))
            {
                Interlocked.Exchange(ref peak, current);
            }
        }
    }
}
