using System.Globalization;
using System.Runtime.InteropServices;
using Reproduce.Core.Errors;
using static TorchSharp.torch;

namespace Reproduce.Learning.Runtime;

/// <summary>
/// Keeps libtorch's CPU convolutions (oneDNN) off kernels that compute wrong numbers on this host, and checks
/// the ones it uses against a float64 reference before a cell trusts them.
/// </summary>
/// <remarks>
/// Measured with libtorch 2.10 (oneDNN 3.7.1) on an AMD EPYC of family 26 (Zen 5) with AVX-512: the
/// <c>jit:avx512_core</c> convolutions, forward and backward, return wrong values whenever a channel count is not a
/// multiple of 16, the width of oneDNN's blocked layout. They read the padding of that layout without writing it
/// first: on a heap holding NaN bit patterns the results are NaN (SparK's decoder, whose widths halve down to 4 or
/// 24 channels, diverged at step 1), on one holding finite garbage they are silently wrong (relative errors up to 1
/// against float64). The same kernels are right on Zen 4 and with <c>ONEDNN_MAX_CPU_ISA=AVX2</c>. oneDNN reads
/// that variable from the native environment once, at its first primitive, so the cap must be in place before
/// TorchSharp's first convolution in the process.
/// </remarks>
public static class CpuKernels
{
    /// <summary>oneDNN's switch for its highest instruction set (its older name DNNL_MAX_CPU_ISA is honoured too).</summary>
    public const string IsaVariable = "ONEDNN_MAX_CPU_ISA";

    private const string LegacyIsaVariable = "DNNL_MAX_CPU_ISA";
    private const double Tolerance = 1e-3;
    private static readonly Lock Gate = new();
    private static readonly Lazy<string?> InstructionSetCap = new(CapForThisHost);

    /// <summary>The thread counts whose convolutions passed the check in this process (oneDNN's choice is per process).</summary>
    private static readonly HashSet<int> VerifiedThreadCounts = [];

    /// <summary>A convolution's shape as the check runs it: N·C·S·S input, K×K kernel, stride, and whether it is transposed.</summary>
    internal readonly record struct Case(long InChannels, long OutChannels, long Kernel, long Stride, bool Transposed = false)
    {
        public override string ToString() =>
            $"{(Transposed ? "conv_transpose2d" : "conv2d")} {InChannels}→{OutChannels} channels, kernel {Kernel}, stride {Stride}";
    }

    /// <summary>
    /// The shapes that went wrong on the host above (channel counts off the 16-wide blocks, SparK's decoder at
    /// CI and paper scale) and the ResNet stem, each forward and backward.
    /// </summary>
    internal static readonly Case[] Cases =
    [
        new(24, 24, 3, 1), new(16, 24, 3, 1), new(24, 16, 3, 1), new(8, 4, 3, 1), new(24, 24, 3, 2),
        new(3, 64, 7, 2), new(48, 24, 4, 2, Transposed: true), new(16, 8, 4, 2, Transposed: true),
    ];

    /// <summary>
    /// Caps oneDNN at AVX2 on hosts whose AVX-512 convolutions are known to be wrong, unless the user set the cap;
    /// returns the cap in force (null: oneDNN's own choice). Decided once per process; must run before the process's
    /// first convolution to take effect.
    /// </summary>
    public static string? ChooseInstructionSet() => InstructionSetCap.Value;

    private static string? CapForThisHost()
    {
        var chosen = Environment.GetEnvironmentVariable(IsaVariable) ?? Environment.GetEnvironmentVariable(LegacyIsaVariable);
        if (chosen is not null)
        {
            return chosen;
        }

        var cap = OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo") ? IsaCapFor(File.ReadAllText("/proc/cpuinfo")) : null;
        if (cap is not null)
        {
            // .NET keeps its own copy of the environment: oneDNN's getenv sees only libc's.
            if (SetNativeEnvironment(IsaVariable, cap, overwrite: 0) != 0)
            {
                throw new EnvironmentException($"could not set {IsaVariable}={cap} for oneDNN (setenv failed); set it in the environment and rerun");
            }

            Environment.SetEnvironmentVariable(IsaVariable, cap);
        }

        return cap;
    }

    /// <summary>The oneDNN cap for a host described by <c>/proc/cpuinfo</c>: AVX2 on AMD family 26 (Zen 5) and later.</summary>
    internal static string? IsaCapFor(string cpuInfo)
    {
        string? vendor = null;
        int? family = null;
        foreach (var line in cpuInfo.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                if (vendor is not null || family is not null)
                {
                    break;   // the first processor's block is enough: every core of a host is the same model
                }

                continue;
            }

            var (name, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
            if (name == "vendor_id")
            {
                vendor = value;
            }
            else if (name == "cpu family" && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                family = parsed;
            }
        }

        return vendor == "AuthenticAMD" && family >= 26 ? "AVX2" : null;
    }

    /// <summary>
    /// Runs every <see cref="Cases"/> shape forward and backward on freshly poisoned memory at
    /// <paramref name="threads"/> threads and compares it with float64; throws an <see cref="EnvironmentException"/>
    /// naming the first wrong one. Once per process and thread count; a few milliseconds.
    /// </summary>
    public static void VerifyConvolutions(int threads)
    {
        lock (Gate)
        {
            if (VerifiedThreadCounts.Contains(threads))
            {
                return;
            }

            var wrong = FirstWrong(Cases);
            if (wrong is { } found)
            {
                var cap = Environment.GetEnvironmentVariable(IsaVariable);
                throw new EnvironmentException(
                    $"libtorch's CPU convolutions compute wrong numbers on this host ({found.Case}: {found.What} differs from float64 by {found.Error:g3} relative){(cap is null ? "" : $" with {IsaVariable}={cap}")}; " +
                    $"training on them would give wrong or NaN results. Set {IsaVariable}=AVX2 in the environment (or a lower cap such as AVX) and rerun");
            }

            VerifiedThreadCounts.Add(threads);
        }
    }

    /// <summary>The first case whose output or gradients differ from float64 beyond the tolerance, or null.</summary>
    internal static (Case Case, string What, double Error)? FirstWrong(IEnumerable<Case> cases, Func<Case, Tensor, Tensor, Tensor>? convolution = null)
    {
        convolution ??= Convolve;
        foreach (var shape in cases)
        {
            using var scope = NewDisposeScope();
            var generator = new TorchSharp.torch.Generator(20_260_612);
            var input = randn([2, shape.InChannels, 12, 12], generator: generator);
            var weight = shape.Transposed
                ? randn([shape.InChannels, shape.OutChannels, shape.Kernel, shape.Kernel], generator: generator)
                : randn([shape.OutChannels, shape.InChannels, shape.Kernel, shape.Kernel], generator: generator);
            Poison(float.NaN);
            var (output, inputGradient, weightGradient) = Run(shape, input, weight, convolution, generator, out var outputGradient);
            var (expected, expectedInput, expectedWeight) = Run(shape, input.to(ScalarType.Float64), weight.to(ScalarType.Float64), Convolve, null, out _, outputGradient.to(ScalarType.Float64));
            foreach (var (what, actual, reference) in new[] { ("the output", output, expected), ("the input gradient", inputGradient, expectedInput), ("the weight gradient", weightGradient, expectedWeight) })
            {
                var error = (actual.to(ScalarType.Float64) - reference).abs().max().item<double>() / Math.Max(reference.abs().max().item<double>(), double.Epsilon);
                if (!(error <= Tolerance))
                {
                    return (shape, what, error);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Fills memory that the allocator will hand out next with <paramref name="pattern"/>: blocks of 4 KB to 16 MB are
    /// allocated, filled and freed. With <see cref="NativeHeap.KeepFreedBuffers"/> in force they stay in the heap, so a
    /// kernel that reads memory it never wrote reads the pattern.
    /// </summary>
    internal static void Poison(float pattern)
    {
        var blocks = new List<Tensor>();
        try
        {
            for (long elements = 1 << 10; elements <= 1 << 22; elements <<= 1)
            {
                blocks.Add(full([elements], pattern));
                blocks.Add(full([elements + 7], pattern));
            }
        }
        finally
        {
            foreach (var block in blocks)
            {
                block.Dispose();
            }
        }
    }

    private static (Tensor Output, Tensor InputGradient, Tensor WeightGradient) Run(
        Case shape, Tensor input, Tensor weight, Func<Case, Tensor, Tensor, Tensor> convolution, TorchSharp.torch.Generator? generator, out Tensor outputGradient, Tensor? givenOutputGradient = null)
    {
        var x = input.detach().requires_grad_(true);
        var w = weight.detach().requires_grad_(true);
        var output = convolution(shape, x, w);
        outputGradient = givenOutputGradient ?? randn(output.shape, generator: generator);
        output.backward([outputGradient]);
        return (output.detach(), x.grad!, w.grad!);
    }

    private static Tensor Convolve(Case shape, Tensor input, Tensor weight) => shape.Transposed
        ? nn.functional.conv_transpose2d(input, weight, strides: [shape.Stride, shape.Stride], padding: [1, 1])
        : nn.functional.conv2d(input, weight, strides: [shape.Stride, shape.Stride], padding: [shape.Kernel / 2, shape.Kernel / 2]);

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetNativeEnvironment([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
