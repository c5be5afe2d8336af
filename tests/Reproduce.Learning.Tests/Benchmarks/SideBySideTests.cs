using Reproduce.Core.Execution;
using Reproduce.Core.Stages;
using Reproduce.Learning.Benchmarks;

namespace Reproduce.Learning.Tests.Benchmarks;

/// <summary>The side-by-side benchmarks (pre-training step, views): what each contender runs, how its output is read, and the ratios.</summary>
public class SideBySideTests
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
        Assert.Equal(expected, SideBySide.RateIn($"note: something first\n{line}\n", PretrainSideBySide.Unit));
    }

    [Fact]
    public void TheViewsBenchmarksRateIsReadInViewsPerSecond()
    {
        const string Ours = "reproduce spark (1×224) threads 1: 698 views/s = 698 views/s per core, 637 per CPU-second (3968 images in 5.68 s); peak RSS 1219 MB";
        const string Theirs = "torchvision pil (gray) spark 224px threads 1: 635 views/s = 635 views/s per core, 635 per CPU-second; peak RSS 774 MB (torch 1.13.0a0)";
        Assert.Equal(698.0, SideBySide.RateIn(Ours, ViewsSideBySide.Unit));
        Assert.Equal(635.0, SideBySide.RateIn(Theirs, ViewsSideBySide.Unit));
        Assert.Null(SideBySide.RateIn(Ours, PretrainSideBySide.Unit));
    }

    [Fact]
    public void EveryViewsContenderReadsTheSameStoreWithTheSameWorkers()
    {
        var settings = new ViewsBenchmarkSettings("swav", 96, 2, 16, OnDevice: false);
        var contenders = ViewsSideBySide.Contenders(settings, "/tmp/store", new ChildCommand("dotnet", ["reproduce.dll"]), "/usr/bin/python3", "bench/views_torchvision.py");

        string[] recipe = ["--method", "swav", "--size", "96", "--threads", "2", "--store", "/tmp/store"];
        Assert.Equal(["reproduce", "torchvision pil", "torchvision tensor"], contenders.Select(c => c.Name));
        Assert.Equal(["reproduce.dll", "bench", "views", .. recipe, "--batch", "16"], contenders[0].Arguments);
        Assert.Equal(["bench/views_torchvision.py", .. recipe, "--path", "pil"], contenders[1].Arguments);
        Assert.Equal(["bench/views_torchvision.py", .. recipe, "--path", "tensor"], contenders[2].Arguments);
    }

    [Fact]
    public void OutputWithoutARateReadsAsNone()
    {
        Assert.Null(SideBySide.RateIn("Traceback (most recent call last): images/s", PretrainSideBySide.Unit));
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

        var summary = SideBySide.Summarize(runs);

        Assert.Equal([("reproduce", 11.0), ("pytorch", 8.0), ("pytorch tuned", 10.0)], summary.Medians.Select(m => (m.Contender, m.Rate)));
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

        var error = Assert.Throws<Reproduce.Core.Errors.EnvironmentException>(() => SideBySide.Run([failing], 1, PretrainSideBySide.Unit, _ => { }));

        Assert.Contains("pytorch (/bin/sh -c echo 'no module named torch' >&2; exit 1) exited with code 1: no module named torch", error.Message, StringComparison.Ordinal);
    }
}
