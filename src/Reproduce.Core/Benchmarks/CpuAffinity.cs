using System.Diagnostics;

namespace Reproduce.Core.Benchmarks;

/// <summary>Pins a benchmark to one core, its runtime threads (GC, JIT) included, so "one core" holds for both sides of a comparison.</summary>
public static class CpuAffinity
{
    /// <summary>Restricts this whole process to its first allowed CPU; false where the platform has no affinity (macOS).</summary>
    public static bool PinToOneCpu()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            return false;
        }

        using var process = Process.GetCurrentProcess();
        var allowed = (long)process.ProcessorAffinity;
        process.ProcessorAffinity = (nint)(allowed & -allowed);
        return true;
    }
}
