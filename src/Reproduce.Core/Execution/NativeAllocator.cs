using Reproduce.Core.Errors;

namespace Reproduce.Core.Execution;

/// <summary>
/// The C heap a process that trains runs on: jemalloc, preloaded with the settings of Intel's PyTorch CPU tuning guide,
/// when the host has it; glibc's malloc otherwise, or when <c>REPRODUCE_ALLOCATOR=glibc</c> asks for it.
/// </summary>
/// <remarks>
/// libtorch allocates every CPU tensor with <c>malloc</c>, and a training step makes and drops hundreds of activations
/// of 1–100 MB. glibc either maps and unmaps each of them (its default: slow, every page faulted and zeroed again) or,
/// with its thresholds raised (<c>NativeHeap</c>), keeps freed blocks in holes the next sizes do not fit. jemalloc's
/// size classes reuse them: a ResNet-50 BYOL step at 224 px, batch 8, 2 threads went from 2.07 images/s at a 4.57 GB
/// peak on glibc to 2.20 images/s at 2.74 GB. The allocator changes where tensors live, never what is computed: it is
/// not part of a cell's key. A preload has to be in place when the process starts, so <c>reproduce</c> starts itself
/// again with it (<see cref="PreloadFor"/>) before a verb that trains.
/// </remarks>
public static class NativeAllocator
{
    /// <summary>Set to <c>glibc</c> to keep glibc's malloc where jemalloc is installed.</summary>
    public const string Choice = "REPRODUCE_ALLOCATOR";

    /// <summary>The jemalloc library to preload instead of the first of <see cref="Candidates"/> that exists.</summary>
    public const string LibraryPath = "REPRODUCE_JEMALLOC";

    /// <summary>
    /// jemalloc's settings from Intel's "Performance Tuning Guide" for PyTorch on CPUs: freed pages are kept, large
    /// blocks come from the ordinary arenas (no oversize arena), and purging runs on a background thread. With decay
    /// off nothing ages out, so pages go back to the system only when <c>NativeHeap.Release</c> purges the arenas (HeapBudget).
    /// </summary>
    /// <remarks>
    /// The guide keeps pages with a decay time of 9,000,000,000 ms; jemalloc 5.3 takes it, yet a ResNet-50 BYOL step
    /// at 224 px, batch 8, ran at 1.46 images/s with it (2.51 GB peak) and 2.10 with decay off (-1, 2.72 GB), as fast
    /// as glibc with its thresholds raised. Decay is off here, for this build and for the tuned PyTorch it is timed against.
    /// </remarks>
    public const string TunedSettings = "oversize_threshold:1,background_thread:true,metadata_thp:auto,dirty_decay_ms:-1,muzzy_decay_ms:-1";

    /// <summary>Where distributions install jemalloc 5 (Debian and Ubuntu per architecture, Fedora and RHEL, source builds).</summary>
    public static readonly IReadOnlyList<string> Candidates =
    [
        "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
        "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
        "/usr/lib64/libjemalloc.so.2",
        "/usr/lib/libjemalloc.so.2",
        "/usr/local/lib/libjemalloc.so.2",
    ];

    /// <summary>The installed jemalloc to preload: <see cref="LibraryPath"/> when set, else the first candidate that exists; null when none.</summary>
    public static string? Find(Func<string, string?> environment, Func<string, bool> exists) =>
        environment(LibraryPath) is { Length: > 0 } chosen ? chosen : Candidates.FirstOrDefault(exists);

    /// <summary>
    /// The variables to start a training process with so that it runs on jemalloc: <c>LD_PRELOAD</c> with jemalloc
    /// added to what it holds, and <c>MALLOC_CONF</c> unless the user set one. Null when there is nothing to change:
    /// not Linux, glibc chosen, jemalloc not installed, or already preloaded.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? PreloadFor(Func<string, string?> environment, Func<string, bool> exists)
    {
        if (!OperatingSystem.IsLinux() || string.Equals(environment(Choice), "glibc", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var preloaded = environment("LD_PRELOAD") ?? "";
        if (preloaded.Contains("libjemalloc", StringComparison.Ordinal) || Find(environment, exists) is not { } library)
        {
            return null;
        }

        if (!exists(library))
        {
            throw new EnvironmentException($"{LibraryPath}={library}: no such file");
        }

        var added = new Dictionary<string, string> { ["LD_PRELOAD"] = preloaded.Length == 0 ? library : $"{library}:{preloaded}" };
        if (string.IsNullOrEmpty(environment("MALLOC_CONF")))
        {
            added["MALLOC_CONF"] = TunedSettings;
        }

        return added;
    }
}
