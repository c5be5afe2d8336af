using Reproduce.Core.Execution;
using Reproduce.Core.Stages;
using Reproduce.Learning.Benchmarks;

namespace Reproduce.Learning.Tests.Benchmarks;

/// <summary>The side-by-side pre-training benchmark: what each contender runs, how its output is read, and the ratios.</summary>
public class PretrainSideBySideTests
{
    private static readonly PretrainBenchmarkSettings Settings = new("swav", "resnet50", 224, 8, 2, 5, 2);

    [Fact]
    public void EveryContenderTimesTheSameStepAndOnlyTheTunedPyTorchIsTuned()
    {
        var contenders = PretrainSideBySide.Contenders(Settings, new ChildCommand("dotnet", ["reproduce.dll"]), "/usr/bin/python3", "bench/pretrain_torch.py", "/lib/libjemalloc.so.2");

        string[] step = ["--method", "swav", "--arch", "resnet50", "--size", "224", "--batch", "8", "--threads", "2", "--steps", "5", "--warmup", "2"];
        Assert.Equal(["reproduce", "pytorch", "pytorch tuned"], contenders.Select(c => c.Name));
        Assert.Equal(["reproduce.dll", "bench", "pretrain", .. step], contenders[0].Arguments);
        Assert.Equal(["bench/pretrain_torch.py", .. step], contenders[1].Arguments);
        Assert.Equal(["bench/pretrain_torch.py", .. step, "--channels-last"], contenders[2].Arguments);
        Assert.All(contenders, c => Assert.Equal("2", c.Environment["OMP_NUM_THREADS"]));
        Assert.Equal("/lib/libjemalloc.so.2", contenders[2].Environment["LD_PRELOAD"]);
        Assert.Equal(NativeAllocator.TunedSettings, contenders[2].Environment["MALLOC_CONF"]);
        Assert.False(contenders[1].Environment.ContainsKey("LD_PRELOAD"));
    }

    [Theory]
    [InlineData("reproduce (TorchSharp 0.107) swav resnet50 224px batch 8 threads 2: 3.25 images/s (5 steps in 12.3 s); peak working set 5210 MB", 3.25)]
    [InlineData("pytorch 1.13.0a0 swav resnet50 224px batch 8 threads 2: 12 images/s (5 steps in 3.3 s); peak memory 3100 MB; channels-last", 12.0)]
    public void TheRateIsReadFromEitherBenchmarksLine(string line, double expected)
    {
        Assert.Equal(expected, PretrainSideBySide.ImagesPerSecondIn($"note: something first\n{line}\n"));
    }

    [Fact]
    public void OutputWithoutARateReadsAsNone()
    {
        Assert.Null(PretrainSideBySide.ImagesPerSecondIn("Traceback (most recent call last): images/s"));
    }

    [Fact]
    public void RatiosAreOursOverTheFasterPyTorchRoundByRound()
    {
        const long MB = 1 << 20;
        SideBySideRun[] runs =
        [
            new("reproduce", 1, 10, 1100 * MB), new("pytorch", 1, 8, 1000 * MB), new("pytorch tuned", 1, 9, 900 * MB),
            new("reproduce", 2, 12, 1100 * MB), new("pytorch", 2, 7, 1000 * MB), new("pytorch tuned", 2, 10, 1000 * MB),
            new("reproduce", 3, 11, 1000 * MB), new("pytorch", 3, 9, 1000 * MB), new("pytorch tuned", 3, 11, 1000 * MB),
        ];

        var summary = PretrainSideBySide.Summarize(runs);

        Assert.Equal([("reproduce", 11.0), ("pytorch", 8.0), ("pytorch tuned", 10.0)], summary.Medians.Select(m => (m.Contender, m.ImagesPerSecond)));
        Assert.Equal("pytorch tuned", summary.Reference);
        // Rounds: 10/9, 12/10, 11/11 and 1100/900, 1100/1000, 1000/1000.
        Assert.Equal(1.2, summary.Speed.Max, 12);
        Assert.Equal(1.0, summary.Speed.Min, 12);
        Assert.Equal(10.0 / 9, summary.Speed.Median, 12);
        Assert.Equal(1.1, summary.Memory.Median, 12);
        Assert.Equal(1100.0 / 900, summary.Memory.Max, 12);
    }

    [Fact]
    public void AContenderThatFailsNamesItselfAndWhatItPrinted()
    {
        var failing = new Contender("pytorch", "/bin/sh", ["-c", "echo 'no module named torch' >&2; exit 1"], new Dictionary<string, string>());

        var error = Assert.Throws<Reproduce.Core.Errors.EnvironmentException>(() => PretrainSideBySide.Run([failing], 1, _ => { }));

        Assert.Contains("pytorch (/bin/sh -c echo 'no module named torch' >&2; exit 1) exited with code 1: no module named torch", error.Message, StringComparison.Ordinal);
    }
}
