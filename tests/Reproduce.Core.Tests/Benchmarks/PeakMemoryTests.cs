using System.Runtime.InteropServices;
using Reproduce.Core.Benchmarks;
using Reproduce.Core.Execution;

namespace Reproduce.Core.Tests.Benchmarks;

public sealed class PeakMemoryTests
{
    private const int Megabyte = 1 << 20;

    [Fact]
    public void MeasuresThePeakSinceItStartedAndNotTheProcesssHigherEarlierOne()
    {
        // An earlier peak 384 MB above today's resident set, given back (glibc maps blocks this large and unmaps them when freed).
        Marshal.FreeHGlobal(Touched(384));
        var earlier = ProcessMemory.PeakResidentBytes()!.Value;

        using var peak = new PeakMemory();
        var before = ProcessMemory.ResidentBytes()!.Value;
        var held = Touched(64);
        var measured = peak.Stop();
        Marshal.FreeHGlobal(held);

        Assert.InRange(measured, before + (48L * Megabyte), before + (256L * Megabyte));
        Assert.True(measured < earlier, $"measured {measured} bytes, the process's earlier peak was {earlier}");
    }

    [Fact]
    public void TheKernelResetsThePeakHereSoNoThreadSamplesIt() => Assert.True(ProcessMemory.ResetPeak());

    /// <summary>Native memory of <paramref name="megabytes"/> with every page written, so it is resident.</summary>
    private static IntPtr Touched(int megabytes)
    {
        var block = Marshal.AllocHGlobal(megabytes * (IntPtr)Megabyte);
        var zeros = new byte[Megabyte];
        for (var offset = 0; offset < megabytes; offset++)
        {
            Marshal.Copy(zeros, 0, block + (offset * (IntPtr)Megabyte), Megabyte);
        }

        return block;
    }
}
