using Reproduce.Core.Execution;
using Reproduce.Core.Stages;

namespace Reproduce.Core.Tests.Execution;

public class ChildProcessCellRunnerTests
{
    [Fact]
    public void EachCUDAWorkerSeesOneDeviceAndWorkersBeyondTheDevicesShareThemInTurn()
    {
        var settings = new RunSettings { Device = "cuda", Workers = 3, Threads = 4, Devices = ["0", "2"] };

        var seen = Enumerable.Range(0, 3).Select(w => ChildProcessCellRunner.EnvironmentOf(settings, w, cores: 32, _ => null)["CUDA_VISIBLE_DEVICES"]);

        Assert.Equal(["0", "2", "0"], seen);
    }

    [Fact]
    public void OnTheCPUNoDeviceIsChosenAndTheOpenMPWaitTurnsPassiveOnlyWhenThreadsOutnumberCores()
    {
        var fits = new RunSettings { Device = "cpu", Workers = 2, Threads = 1, Devices = ["0"] };
        var oversubscribed = fits with { Workers = 3 };

        Assert.Empty(ChildProcessCellRunner.EnvironmentOf(fits, 0, cores: 2, _ => null));
        Assert.Equal("PASSIVE", ChildProcessCellRunner.EnvironmentOf(oversubscribed, 0, cores: 2, _ => null)["OMP_WAIT_POLICY"]);
        Assert.Empty(ChildProcessCellRunner.EnvironmentOf(oversubscribed, 0, cores: 2, name => name == "OMP_WAIT_POLICY" ? "ACTIVE" : null));
    }

    [Theory]
    [InlineData(137, 3L << 30, "its process was killed by signal 9 (SIGKILL: the kernel's out-of-memory killer sends it when memory runs out, or someone killed the process) at a peak resident set of 3.00 GB")]
    [InlineData(139, 0L, "its process was killed by signal 11 (SIGSEGV: a native library crashed)")]
    [InlineData(1, 0L, "its process exited with code 1 without reporting a result")]
    public void AChildThatDiedIsDescribedByItsSignalAndMemory(int exitCode, long peak, string expected) =>
        Assert.Equal(expected, ChildProcessCellRunner.Died(exitCode, peak));
}
