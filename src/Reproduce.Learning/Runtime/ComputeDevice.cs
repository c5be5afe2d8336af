using Reproduce.Core.Errors;
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
}
