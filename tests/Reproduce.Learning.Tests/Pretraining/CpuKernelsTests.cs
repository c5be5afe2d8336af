using System.Runtime.InteropServices;
using Reproduce.Learning.Runtime;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Pretraining;

/// <summary>oneDNN's instruction-set cap per host and the float64 check of libtorch's CPU convolutions.</summary>
public class CpuKernelsTests
{
    private const string Zen5 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\nflags\t\t: avx2 avx512f\n\nprocessor\t: 1\nvendor_id\t: AuthenticAMD\n";
    private const string Zen4 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\nflags\t\t: avx2 avx512f\n";
    private const string Intel = "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 143\nflags\t\t: avx2 avx512f amx_tile\n";

    [Theory]
    [InlineData(Zen5, "AVX2")]
    [InlineData(Zen4, null)]
    [InlineData(Intel, null)]
    [InlineData("", null)]
    [InlineData("vendor_id : AuthenticAMD\ncpu family : not a number\n", null)]
    public void OnlyHostsWithKnownWrongAVX512ConvolutionsAreCapped(string cpuInfo, string? cap) =>
        Assert.Equal(cap, CpuKernels.IsaCapFor(cpuInfo));

    [Fact]
    public void TheChosenCapIsInTheNativeEnvironmentThatOneDNNReads()
    {
        var chosen = CpuKernels.ChooseInstructionSet();

        Assert.Equal(chosen, Marshal.PtrToStringUTF8(NativeGetEnvironment(CpuKernels.IsaVariable)) ?? Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ThisHostsConvolutionsMatchFloat64OnNaNPoisonedMemory(int threads)
    {
        var before = get_num_threads();
        NativeHeap.KeepFreedBuffers();
        set_num_threads(threads);
        try
        {
            Assert.Null(CpuKernels.FirstWrong(CpuKernels.Cases));
        }
        finally
        {
            set_num_threads(before);
        }
    }

    [Fact]
    public void AConvolutionThatIgnoresAChannelOffThe16WideBlocksIsCaught()
    {
        // As oneDNN's wrong kernels do: the last of 24 input channels never reaches the output.
        static Tensor DropsChannel23(CpuKernels.Case shape, Tensor input, Tensor weight)
        {
            var keep = ones(1, input.shape[1], 1, 1);
            if (input.shape[1] == 24)
            {
                keep[0, 23].fill_(0);
            }

            var kept = input * keep;
            return shape.Transposed
                ? nn.functional.conv_transpose2d(kept, weight, strides: [shape.Stride, shape.Stride], padding: [1, 1])
                : nn.functional.conv2d(kept, weight, strides: [shape.Stride, shape.Stride], padding: [shape.Kernel / 2, shape.Kernel / 2]);
        }

        var wrong = CpuKernels.FirstWrong(CpuKernels.Cases, DropsChannel23);

        Assert.NotNull(wrong);
        Assert.Equal(CpuKernels.Cases[0], wrong.Value.Case);
        Assert.Equal("the output", wrong.Value.What);
        Assert.True(wrong.Value.Error > 1e-2, $"relative error {wrong.Value.Error}");
    }

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr NativeGetEnvironment([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
