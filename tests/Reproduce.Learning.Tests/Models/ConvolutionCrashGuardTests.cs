using Reproduce.Core.Errors;
using Reproduce.Core.Execution;
using Reproduce.Core.Stages;
using Reproduce.Learning.Models;
using Reproduce.Learning.Runtime;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Models;

/// <summary>
/// The guard against oneDNN's crashing heuristic: how it reads a probe's end, and that its fallback, ATen's own CPU
/// convolutions, trains the same function. (The assembly's test classes run one at a time, so switching oneDNN off
/// process-wide here reaches no other test; every test switches it back.)
/// </summary>
public class ConvolutionCrashGuardTests
{
    private static readonly TrunkWorkload ResNet50At64 = new(ResNetOptions.ResNet50, [64, 96], 16);

    [Fact]
    public void AProbeKilledBySigfpeTurnsOneDnnOffAndSaysWhy()
    {
        try
        {
            var note = ConvolutionCrashGuard.Decide(new ProbeOutcome(128 + 8, 8, ""), ResNet50At64, threads: 2);

            Assert.False(ConvolutionCrashGuard.OneDnnEnabled);
            Assert.Equal(
                "libtorch's oneDNN convolutions killed a probe of resnet50 at 64 px and 96 px, batch 16, 2 threads with signal 8 " +
                "(SIGFPE: a native library divided by zero) on this host; this process trains on ATen's own CPU convolutions instead " +
                "(slower, same function, not bitwise the same as oneDNN's)",
                note);
        }
        finally
        {
            ConvolutionCrashGuard.UseOneDnn(true);
        }
    }

    [Fact]
    public void AProbeThatSurvivesKeepsOneDnn()
    {
        Assert.Null(ConvolutionCrashGuard.Decide(new ProbeOutcome(0, null, ""), ResNet50At64, threads: 1));
        Assert.True(ConvolutionCrashGuard.OneDnnEnabled);
    }

    [Theory]
    [InlineData(128 + 9, 9, "was killed by signal 9 (SIGKILL: the kernel's out-of-memory killer")]
    [InlineData(3, null, "exited with code 3: out of memory in probe")]
    public void AProbeThatFailedForAnotherReasonStopsTheCellAndKeepsOneDnn(int exitCode, int? signal, string expected)
    {
        var error = Assert.Throws<EnvironmentException>(() => ConvolutionCrashGuard.Decide(new ProbeOutcome(exitCode, signal, "out of memory in probe"), ResNet50At64, threads: 2));

        Assert.Contains($"the convolution probe of resnet50 at 64 px and 96 px, batch 16, 2 threads (probe-kernels) {expected}", error.Message, StringComparison.Ordinal);
        Assert.True(ConvolutionCrashGuard.OneDnnEnabled);
    }

    [Fact]
    public void RunProbeReadsTheSignalThatKilledTheChildAndPassesTheWorkload()
    {
        // A stand-in child: writes its arguments to stderr, then dies of SIGFPE as the affected hosts' probe does.
        var command = new ChildCommand("/bin/sh", ["-c", "echo \"$0 $*\" >&2; kill -FPE $$"]);

        var outcome = ConvolutionCrashGuard.RunProbe(command, ResNet50At64, threads: 2, TimeSpan.FromMinutes(1));

        Assert.Equal(new ProbeOutcome(128 + 8, 8, "probe-kernels --arch resnet50 --size 64 --size 96 --batch 16 --threads 2"), outcome);
    }

    [Fact]
    public void ResNet18HasNoneOfTheChannelPairsTheHeuristicDividesOnAndResNet50Has()
    {
        Assert.False(new TrunkWorkload(ResNetOptions.ResNet18, [224], 32).CanTripOneDnn);
        Assert.True(new TrunkWorkload(ResNetOptions.ResNet50, [224], 32).CanTripOneDnn);
    }

    [Fact]
    public void AtenConvolutionsTrainTheSameFunctionAsOneDnns()
    {
        // ResNet-18 at 32 px: every kind of convolution the trunks have (7×7 stem, 3×3, strided 1×1 downsample), on a
        // trunk no host's oneDNN crashes on. Loss and gradients agree to float32 rounding of different summation orders.
        var (loss, gradients) = Step(oneDnn: true);
        try
        {
            var (atenLoss, atenGradients) = Step(oneDnn: false);

            Assert.Equal(loss, atenLoss, 4);
            Assert.Equal(gradients.Length, atenGradients.Length);
            for (var i = 0; i < gradients.Length; i++)
            {
                var scale = Math.Max(gradients[i].abs().max().item<float>(), 1e-6f);
                var error = (gradients[i] - atenGradients[i]).abs().max().item<float>() / scale;
                Assert.True(error < 1e-3, $"gradient {i}: relative difference {error:g3}");
            }
        }
        finally
        {
            ConvolutionCrashGuard.UseOneDnn(true);
            foreach (var gradient in gradients)
            {
                gradient.Dispose();
            }
        }
    }

    private static (double Loss, Tensor[] Gradients) Step(bool oneDnn)
    {
        ConvolutionCrashGuard.UseOneDnn(oneDnn);
        using var random = new CellRandom(7);
        using var trunk = new ResNet(new ResNetOptions(ResNetOptions.ResNet18), random);
        trunk.train();
        using var images = rand([4, 3, 32, 32], generator: random.Init);
        using var loss = trunk.forward(images).square().mean();
        loss.backward();
        Assert.Equal(oneDnn, ConvolutionCrashGuard.OneDnnEnabled);
        return (loss.item<float>(), [.. trunk.parameters().Select(p => p.grad!.detach().clone())]);
    }
}
