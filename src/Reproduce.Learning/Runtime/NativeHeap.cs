using System.Runtime.InteropServices;

namespace Reproduce.Learning.Runtime;

/// <summary>
/// Keeps libtorch's large CPU buffers in glibc's heap once freed, instead of handing them back to the kernel, and
/// hands them back when a cell's heap has grown past what its steps use (<see cref="HeapBudget"/>).
/// </summary>
/// <remarks>
/// libtorch allocates every CPU tensor with plain <c>malloc</c>. glibc serves blocks above its mmap threshold
/// (dynamic, at most 32 MB) with a fresh <c>mmap</c> and unmaps them on free, so a training step that makes and
/// drops hundreds of 10–100 MB activations pays for every page again in page faults and kernel zeroing.
/// Measured with <c>reproduce bench pretrain --arch resnet50 --size 224 --batch 16 --threads 2</c>: BYOL 2.03–2.38
/// images/s with glibc's defaults, 2.91–3.10 with the thresholds raised (peak working set 5.8 → 6.7 GB); SwAV
/// 1.40 → 2.78, MoCo v2 4.67 → 6.45, SparK 1.31 → 1.99.
/// The price is fragmentation: a fine-tuning cell, which alternates training batches, a partial last batch and
/// evaluation batches of other sizes, left its freed blocks in holes that later blocks did not fit, and glibc grew the
/// heap at about 300 MB/s while under 0.5 GB was in use (OrganSMNIST at 64 px: 5.8 GB resident after one cell, 10 GB
/// after nine, with glibc's defaults 11.7 GB, since its dynamic threshold ends in the same place). <see cref="Release"/>
/// gives the free pages back (<c>malloc_trim</c>): at the start of every cell, and within a cell whenever
/// <see cref="HeapBudget"/> sees the process grow past its first step's size.
/// </remarks>
public static class NativeHeap
{
    private const int TrimThreshold = -1;   // M_TRIM_THRESHOLD
    private const int MmapThreshold = -3;   // M_MMAP_THRESHOLD

    /// <summary>Raises glibc's mmap and trim thresholds for this process; a no-op off glibc. Returns whether both took.</summary>
    public static bool KeepFreedBuffers()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // mallopt takes an int: 1 GB is the largest power of two it accepts, and above any tensor a step makes.
            return Mallopt(MmapThreshold, 1 << 30) == 1 & Mallopt(TrimThreshold, int.MaxValue) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;   // a libc without mallopt (e.g. musl): its allocator is left as it is
        }
    }

    /// <summary>Returns the free pages of every glibc arena to the kernel; a no-op off glibc.</summary>
    public static void Release()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // a libc without malloc_trim keeps what it keeps
        }
    }

    /// <summary>
    /// Bytes the C heap has handed out and not taken back (glibc's <c>mallinfo2</c>: arena blocks in use plus mmapped
    /// blocks, over every arena): libtorch's live CPU tensors and every other native allocation. Null off glibc.
    /// </summary>
    public static long? BytesInUse()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var info = MallInfo2();
            return (long)(info.InUse + info.MmappedBytes);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;   // glibc before 2.33, or another libc
        }
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallocInfo MallInfo2();

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);

    /// <summary>glibc's <c>struct mallinfo2</c>: ten <c>size_t</c> fields in this order.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallocInfo
    {
        public readonly nuint Arena;
        public readonly nuint FreeChunks;
        public readonly nuint FastBinBlocks;
        public readonly nuint MmappedBlocks;
        public readonly nuint MmappedBytes;
        public readonly nuint MaxTotalAllocated;
        public readonly nuint FastBinFreeBytes;
        public readonly nuint InUse;
        public readonly nuint FreeBytes;
        public readonly nuint TopReleasable;
    }
}
