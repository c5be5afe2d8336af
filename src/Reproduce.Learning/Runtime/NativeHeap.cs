using System.Runtime.InteropServices;

namespace Reproduce.Learning.Runtime;

/// <summary>
/// Keeps libtorch's large CPU buffers in the C heap once freed, instead of handing them back to the kernel, and
/// hands them back when a cell's heap has grown past what its steps use (<see cref="HeapBudget"/>). The heap is
/// jemalloc's when the process was started with it preloaded (<see cref="Core.Execution.NativeAllocator"/>: its settings
/// already keep freed pages), glibc's otherwise.
/// </summary>
/// <remarks>
/// On glibc:
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

    // jemalloc's arena index that means every arena (MALLCTL_ARENAS_ALL).
    private const string PurgeAllArenas = "arena.4096.purge";

    /// <summary>jemalloc's <c>mallctl</c> when jemalloc is this process's malloc (preloaded); null on glibc.</summary>
    private static readonly Mallctl? Jemalloc = FindJemalloc();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int Mallctl([MarshalAs(UnmanagedType.LPUTF8Str)] string name, nint oldValue, nint oldLength, nint newValue, nuint newLength);

    /// <summary>The malloc that serves libtorch's tensors in this process: <c>jemalloc</c> or <c>glibc</c>.</summary>
    public static string Allocator => Jemalloc is null ? "glibc" : "jemalloc";

    /// <summary>Raises glibc's mmap and trim thresholds for this process; a no-op off glibc. Returns whether both took.</summary>
    public static bool KeepFreedBuffers()
    {
        if (!OperatingSystem.IsLinux() || Jemalloc is not null)
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

    /// <summary>Returns the free pages of every arena (glibc's or jemalloc's) to the kernel.</summary>
    public static void Release()
    {
        if (Jemalloc is { } mallctl)
        {
            _ = mallctl(PurgeAllArenas, 0, 0, 0, 0);
            return;
        }

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
    /// blocks, over every arena; jemalloc's <c>stats.allocated</c>): libtorch's live CPU tensors and every other native
    /// allocation. Null where neither answers.
    /// </summary>
    public static long? BytesInUse()
    {
        if (Jemalloc is { } mallctl)
        {
            return JemallocAllocated(mallctl);
        }

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

    private static Mallctl? FindJemalloc()
    {
        // A preloaded library's symbols are in the process's global scope, which the main program's handle searches.
        // An installed jemalloc that is not preloaded is not the malloc here, and loading it would not make it one.
        return OperatingSystem.IsLinux() && NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), "mallctl", out var address)
            ? Marshal.GetDelegateForFunctionPointer<Mallctl>(address)
            : null;
    }

    private static long? JemallocAllocated(Mallctl mallctl)
    {
        // Statistics are a snapshot taken when "epoch" is written.
        var cells = Marshal.AllocHGlobal(3 * sizeof(ulong));
        try
        {
            var (epoch, value, length) = (cells, cells + sizeof(ulong), cells + (2 * sizeof(ulong)));
            Marshal.WriteInt64(epoch, 1);
            Marshal.WriteInt64(length, sizeof(ulong));
            if (mallctl("epoch", 0, 0, epoch, sizeof(ulong)) != 0 || mallctl("stats.allocated", value, length, 0, 0) != 0)
            {
                return null;   // a jemalloc built without statistics
            }

            return Marshal.ReadInt64(value);
        }
        finally
        {
            Marshal.FreeHGlobal(cells);
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
