using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Reproduce.Core.Errors;
using Reproduce.Core.Execution;
using Reproduce.Core.Stages;
using Reproduce.Learning.Runtime;
using static TorchSharp.torch;

namespace Reproduce.Learning.Models;

/// <summary>
/// Keeps a CPU cell alive on hosts where oneDNN's convolution heuristics kill the process: before a trunk whose
/// convolutions can trip them trains, one forward and backward pass of it at the cell's sizes, batch and threads runs
/// in a child process (<c>reproduce probe-kernels</c>); if the child dies of a signal, this process turns libtorch's
/// oneDNN convolutions off and trains on ATen's own (im2col and BLAS), which is slower but computes the same function.
/// </summary>
/// <remarks>
/// Seen with libtorch 2.10 (oneDNN 3.7.1) on an AMD EPYC host: <c>brg_blocking_t::est_eff_1x1()</c> of
/// <c>jit_brgemm_conv_bwd_utils.cpp</c>, which rates blockings for a 1×1 convolution's backward pass, divides the integer
/// <c>div_up(M + M_tail, 16)</c> by the number of row blocks it found for exactly the channel pairs it special-cases
/// (256→1024, 512→1024, 1024→512, 512→2048, 1024→2048: ResNet-50's bottleneck expansions and downsamples). When the
/// blocking it derived from the host's reported cache sizes leaves that count at zero, the process dies of SIGFPE at
/// the first backward pass, whatever <c>ONEDNN_MAX_CPU_ISA</c> says. ResNet-18 has none of those pairs. A signal
/// cannot be caught in the process that took it, hence the child. Hosts where the probe survives keep oneDNN, so their
/// results do not change.
/// </remarks>
public static class ConvolutionCrashGuard
{
    /// <summary>The verb of the child process, which runs <see cref="Probe"/>.</summary>
    public const string ProbeVerb = "probe-kernels";

    /// <summary>Longer than a ResNet-50 step at any batch a CPU holds; a probe that takes longer is reported, not waited on.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMinutes(15);

    /// <summary>SIGILL, SIGABRT, SIGBUS, SIGFPE, SIGSEGV by their Linux numbers.</summary>
    private static readonly int[] NativeFaults = [4, 6, 7, 8, 11];

    private static readonly Lock Gate = new();

    /// <summary>Workloads whose probe survived, or after which oneDNN was turned off, in this process.</summary>
    private static readonly HashSet<string> Settled = [];

    /// <summary>Whether libtorch may use oneDNN for its CPU operators (libtorch's <c>torch.backends.mkldnn.enabled</c>).</summary>
    public static bool OneDnnEnabled => UserEnabledMkldnn(GlobalContext());

    /// <summary>
    /// On the CPU, probes <paramref name="workload"/> at <paramref name="threads"/> threads with <paramref name="reproduce"/>
    /// unless its trunk cannot trip the heuristic, there is no command to probe with (a library or a test host), or oneDNN
    /// is already off; returns what it changed, for the cell's log, or null. Once per workload and process.
    /// </summary>
    public static string? Guard(Device device, TrunkWorkload workload, int threads, ChildCommand? reproduce)
    {
        lock (Gate)
        {
            if (device.type != TorchSharp.DeviceType.CPU || reproduce is null || !workload.CanTripOneDnn || !OneDnnEnabled || !Settled.Add(workload.Describe(threads)))
            {
                return null;
            }
        }

        return Decide(RunProbe(reproduce, workload, threads, ProbeTimeout), workload, threads);
    }

    /// <summary>
    /// Turns oneDNN off after a probe that a native fault killed (SIGFPE, SIGSEGV, SIGBUS, SIGILL, SIGABRT); a probe that
    /// failed otherwise (an error, the out-of-memory killer's SIGKILL) stops the cell, since ATen's convolutions would not help.
    /// </summary>
    internal static string? Decide(ProbeOutcome outcome, TrunkWorkload workload, int threads)
    {
        if (outcome.Signal is { } signal && NativeFaults.Contains(signal))
        {
            UseOneDnn(false);
            return $"libtorch's oneDNN convolutions killed a probe of {workload.Describe(threads)} with signal {signal} ({ChildExit.Meaning(signal)}) on this host; " +
                "this process trains on ATen's own CPU convolutions instead (slower, same function, not bitwise the same as oneDNN's)";
        }

        if (outcome.ExitCode != 0)
        {
            var how = outcome.Signal is { } other ? $"was killed by signal {other} ({ChildExit.Meaning(other)})" : $"exited with code {outcome.ExitCode}";
            throw new EnvironmentException($"the convolution probe of {workload.Describe(threads)} ({ProbeVerb}) {how}: {outcome.Errors}");
        }

        return null;
    }

    /// <summary>
    /// What the child does: one forward and backward pass of <paramref name="workload"/>'s trunk, in training mode, at
    /// each of its sizes, on random images. Creating the oneDNN primitives of those shapes is what runs the heuristics.
    /// </summary>
    public static void Probe(TrunkWorkload workload, int threads)
    {
        ComputeDevice.Prepare("cpu", threads);
        using var random = new CellRandom(seed: 0);
        using var trunk = new ResNet(new ResNetOptions(workload.Arch, ChannelsLast: workload.ChannelsLast), random);
        trunk.train();
        foreach (var size in workload.Sizes)
        {
            using var scope = NewDisposeScope();
            var images = rand([workload.Batch, 3, size, size], generator: random.Init);
            trunk.forward(images).sum().backward();
            trunk.zero_grad();
        }
    }

    /// <summary>Sets libtorch's switch for oneDNN (process-wide, read at every operator call).</summary>
    public static void UseOneDnn(bool enabled) => SetUserEnabledMkldnn(GlobalContext(), enabled);

    /// <summary>Runs <c>command probe-kernels …</c> and waits for it, at most <paramref name="timeout"/>.</summary>
    internal static ProbeOutcome RunProbe(ChildCommand command, TrunkWorkload workload, int threads, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(command.FileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Arguments.Concat(workload.Arguments(threads)))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new EnvironmentException($"the convolution probe ({command.FileName}) did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new EnvironmentException($"the convolution probe of {workload.Describe(threads)} did not finish within {timeout.TotalMinutes:0} minutes");
        }

        process.WaitForExit();
        _ = output.Result;
        var text = errors.Result.Trim();
        return new ProbeOutcome(process.ExitCode, ChildExit.Signal(process.ExitCode), text.Length > 2000 ? text[^2000..] : text);
    }

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
}

/// <summary>
/// A trunk's training work as the guard probes it: <see cref="Arch"/> on <see cref="Batch"/> images of each of
/// <see cref="Sizes"/>, channels-last or not (oneDNN picks other kernels, with other heuristics, for NHWC).
/// </summary>
public sealed record TrunkWorkload(string Arch, IReadOnlyList<int> Sizes, int Batch, bool ChannelsLast = false)
{
    /// <summary>Bottleneck trunks hold the 1×1 channel pairs oneDNN's backward heuristic special-cases.</summary>
    public bool CanTripOneDnn => new ResNetOptions(Arch).Layout.Bottleneck;

    public string Describe(int threads) =>
        $"{Arch} at {string.Join(" and ", Sizes.Select(s => $"{s} px"))}, batch {Batch}{(ChannelsLast ? ", channels-last" : "")}, {threads} thread{(threads == 1 ? "" : "s")}";

    /// <summary>The child's command line after the host: <c>probe-kernels --arch A --size S… --batch B --threads T [--channels-last]</c>.</summary>
    public IEnumerable<string> Arguments(int threads)
    {
        yield return ConvolutionCrashGuard.ProbeVerb;
        yield return "--arch";
        yield return Arch;
        foreach (var size in Sizes)
        {
            yield return "--size";
            yield return size.ToString(CultureInfo.InvariantCulture);
        }

        yield return "--batch";
        yield return Batch.ToString(CultureInfo.InvariantCulture);
        yield return "--threads";
        yield return threads.ToString(CultureInfo.InvariantCulture);
        if (ChannelsLast)
        {
            yield return "--channels-last";
        }
    }
}

/// <summary>How a probe ended: its exit code, the signal that killed it if one did, and the end of what it wrote to stderr.</summary>
public sealed record ProbeOutcome(int ExitCode, int? Signal, string Errors);
