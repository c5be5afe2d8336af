using System.Diagnostics;
using Reproduce.Core.Execution;

namespace Reproduce.Core.Benchmarks;

/// <summary>
/// The peak resident set of this process while a measurement runs. On Linux the kernel keeps it: the constructor sets
/// the process's peak (VmHWM) back to its resident set now and <see cref="Stop"/> reads it, exact and without a thread.
/// Where the kernel refuses the reset, a timer samples the working set every 10 ms instead. Each wake-up takes a core
/// from the measured work; on two cores, a ResNet-50 training step's two threads then wait for each other.
/// </summary>
public sealed class PeakMemory : IDisposable
{
    // Both only where the kernel refuses the reset.
    private readonly Process? process;
    private readonly Timer? sampler;
    private long peak;

    public PeakMemory()
    {
        if (!ProcessMemory.ResetPeak())
        {
            process = Process.GetCurrentProcess();
            sampler = new Timer(_ => Sample(process), null, 0, 10);
        }
    }

    /// <summary>Stops measuring, waiting for a sample in flight, and returns the peak in bytes.</summary>
    public long Stop()
    {
        if (sampler is null || process is null)
        {
            return ProcessMemory.PeakResidentBytes() ?? 0;
        }

        using (var stopped = new ManualResetEvent(false))
        {
            sampler.Dispose(stopped);
            stopped.WaitOne();
        }

        Sample(process);
        return Interlocked.Read(ref peak);
    }

    public void Dispose()
    {
        sampler?.Dispose();
        process?.Dispose();
    }

    private void Sample(Process process)
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
