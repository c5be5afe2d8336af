using System.Text;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests;

/// <summary>
/// TorchSharp must load and compute on this OS; on a libstdc++ older than GCC 13 that needs the
/// native fix-up of Directory.Build.targets (DESIGN.md §5, METHODS.md §7.5).
/// </summary>
public class TorchSharpLoadsTests
{
    private const string NativeLibrary = "libLibTorchSharp.so";
    private const string MissingVersion = "GLIBCXX_3.4.32";

    // The same places Directory.Build.targets looks.
    private static readonly string[] SystemLibStdCxx =
    [
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
    ];

    [Fact]
    public void Conv2dRunsForwardAndBackwardOnCpu()
    {
        using var scope = NewDisposeScope();
        manual_seed(20240611);
        using var conv = nn.Conv2d(3, 4, 3);
        var input = randn([2, 3, 8, 8], requires_grad: true);

        var output = conv.forward(input);
        output.sum().backward();

        Assert.Equal([2L, 4, 6, 6], output.shape);
        AssertUsableGradient(input.grad, [2, 3, 8, 8]);
        AssertUsableGradient(conv.weight?.grad, [4, 3, 3, 3]);
    }

    [Fact]
    public void OutputCopyNeedsGlibcxx3432WeaklyUnlessTheSystemProvidesIt()
    {
        var systemHasVersion = SystemLibStdCxx
            .Where(File.Exists)
            .Any(path => File.ReadAllBytes(path).AsSpan().IndexOf(Encoding.ASCII.GetBytes(MissingVersion + "\0")) >= 0);

        var flags = ElfVersionNeeds.FlagsOf(OutputCopyOfNativeLibrary(), MissingVersion);

        Assert.True(flags is not null, $"{NativeLibrary} no longer needs {MissingVersion}; the fix-up in Directory.Build.targets can go.");
        Assert.True(
            systemHasVersion || (flags & ElfVersionNeeds.WeakFlag) != 0,
            $"The system libstdc++ lacks {MissingVersion} but the build left it a strict need of {NativeLibrary} (vna_flags {flags}).");
    }

    private static string OutputCopyOfNativeLibrary()
    {
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", NativeLibrary),
            // A build for one runtime identifier puts native assets next to the assemblies.
            Path.Combine(AppContext.BaseDirectory, NativeLibrary),
        ];
        var found = candidates.FirstOrDefault(File.Exists);
        Assert.True(found is not null, $"No {NativeLibrary} in the test output ({string.Join(", ", candidates)}).");
        return found;
    }

    private static void AssertUsableGradient(Tensor? gradient, long[] expectedShape)
    {
        Assert.NotNull(gradient);
        Assert.Equal(expectedShape, gradient.shape);
        Assert.True(gradient.isfinite().all().item<bool>(), "The gradient has non-finite values.");
        Assert.True(gradient.count_nonzero().item<long>() > 0, "The gradient is all zero.");
    }
}
