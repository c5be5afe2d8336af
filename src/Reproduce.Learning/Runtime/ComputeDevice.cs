using System.Text.Json.Nodes;
using Reproduce.Core.Errors;
using Reproduce.Core.Keys;
using static TorchSharp.torch;

namespace Reproduce.Learning.Runtime;

/// <summary>Puts a cell's TorchSharp work on its device and thread count.</summary>
public static class ComputeDevice
{
    /// <summary>
    /// The device for <paramref name="name"/> (<c>cpu</c> or <c>cuda</c>), with torch's intra-op threads set.
    /// No global generator is seeded: a cell draws only from its own <see cref="CellRandom"/>. GPU kernels are
    /// still not bitwise reproducible (METHODS.md §7.2).
    /// The process keeps libtorch's freed CPU buffers (<see cref="NativeHeap"/>); on the CPU, oneDNN is kept off
    /// kernels known to be wrong on this host and the convolutions are checked against float64 (<see cref="CpuKernels"/>).
    /// </summary>
    public static Device Prepare(string name, int threads)
    {
        NativeHeap.KeepFreedBuffers();
        NativeHeap.Release();   // what an earlier cell of this process freed
        CpuKernels.ChooseInstructionSet();
        set_num_threads(Math.Max(1, threads));
        switch (name)
        {
            case "cpu":
                CpuKernels.VerifyConvolutions(Math.Max(1, threads));
                return CPU;
            case "cuda":
                if (!cuda.is_available())
                {
                    throw new EnvironmentException("--device cuda: no CUDA device is visible to TorchSharp; build with -p:TorchBackend=cuda on a machine with an NVIDIA GPU and driver, or use --device cpu");
                }

                backends.cuda.matmul.allow_tf32 = true;
                backends.cudnn.allow_tf32 = true;
                return CUDA;
            default:
                throw new UsageException($"unknown device '{name}' (cpu or cuda)");
        }
    }

    /// <summary>
    /// The device a cell was planned for: it is part of the cell's key, so a different <paramref name="requested"/> device,
    /// or a build with another TorchSharp, would publish results under a key that does not describe them. A cell planned
    /// without a device (no TorchSharp work) takes the one requested, else the CPU.
    /// </summary>
    public static string PlannedFor(CellSpec spec, string? requested)
    {
        var environment = JsonNode.Parse(spec.Components.EnvironmentJson)!.AsObject();
        var keyed = (string?)environment["device"];
        if (keyed is null)
        {
            return requested ?? "cpu";
        }

        if (requested is not null && requested != keyed)
        {
            throw new UsageException($"{spec.Address} ({spec.Key[..12]}) was planned for --device {keyed}, not {requested}: plan it again for {requested}");
        }

        if ((string?)environment["torchsharp"] is { } version && version != TorchRuntime.ManagedVersion)
        {
            throw new EnvironmentException($"{spec.Address} ({spec.Key[..12]}) was planned with TorchSharp {version}, but this build has {TorchRuntime.ManagedVersion}: plan it again with this build");
        }

        return keyed;
    }
}
