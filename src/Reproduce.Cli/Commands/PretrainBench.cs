using System.CommandLine;
using Reproduce.Cli.Composition;
using Reproduce.Core.Errors;
using Reproduce.Core.Execution;
using Reproduce.Core.Manifests;
using Reproduce.Core.Stages;
using Reproduce.Learning;
using Reproduce.Learning.Benchmarks;
using Reproduce.Learning.Models;
using Reproduce.Learning.Runtime;

namespace Reproduce.Cli.Commands;

/// <summary>
/// <c>reproduce bench pretrain</c>: <see cref="PretrainBenchmark"/> for one method; with <c>--against-pytorch</c>,
/// <see cref="PretrainSideBySide"/>: this build, plain and tuned PyTorch taking turns, and the ratios.
/// </summary>
internal static class PretrainBench
{
    /// <summary>The verb under <see cref="BenchCommand.Name"/>.</summary>
    public const string Name = "pretrain";

    private const string Script = "bench/pretrain_torch.py";

    public static Command Create()
    {
        var method = new Option<string>("--method") { Description = "byol, mocov2, swav or spark", Required = true };
        var arch = new Option<string>("--arch") { Description = "resnet18 or resnet50", DefaultValueFactory = _ => ResNetOptions.ResNet50 };
        var size = new Option<int>("--size") { Description = "global view size in pixels", DefaultValueFactory = _ => 224 };
        var batch = new Option<int>("--batch") { Description = "images per step", DefaultValueFactory = _ => 32 };
        var threads = new Option<int>("--threads") { Description = "TorchSharp intra-op threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var steps = new Option<int>("--steps") { Description = "timed steps", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "untimed steps first", DefaultValueFactory = _ => 3 };
        var convolutions = new Option<string>("--convolutions") { Description = "onednn, or aten: the fallback on hosts where oneDNN crashes", DefaultValueFactory = _ => "onednn" };
        convolutions.AcceptOnlyFromAmong("onednn", "aten");
        var memoryFormat = new Option<string>("--memory-format") { Description = "contiguous (NCHW) or channels_last (NHWC): pretrain.memory_format", DefaultValueFactory = _ => Identifiers.Contiguous };
        memoryFormat.AcceptOnlyFromAmong(Identifiers.Contiguous, Identifiers.ChannelsLast);
        var against = new Option<bool>("--against-pytorch") { Description = $"time this build, PyTorch and tuned PyTorch ({Script}) in turns, each in its own process" };
        var repeats = new Option<int>("--repeats") { Description = "rounds of --against-pytorch", DefaultValueFactory = _ => 3 };
        var python = new Option<string>("--python") { Description = "the interpreter with Debian's python3-torch", DefaultValueFactory = _ => "/usr/bin/python3" };
        var jemalloc = new Option<string>("--jemalloc") { Description = "the jemalloc tuned PyTorch preloads (Debian's libjemalloc2)", DefaultValueFactory = _ => NativeAllocator.Find(Environment.GetEnvironmentVariable, File.Exists) ?? NativeAllocator.Candidates[0] };
        var command = new Command(Name, "time one method's training step on random batches (CPU)");
        foreach (var option in new Option[] { method, arch, size, batch, threads, steps, warmup, convolutions, memoryFormat, against, repeats, python, jemalloc })
        {
            command.Options.Add(option);
        }

        command.SetAction(result =>
        {
            var settings = new PretrainBenchmarkSettings(
                result.GetValue(method)!, result.GetValue(arch)!, result.GetValue(size), result.GetValue(batch), result.GetValue(threads), result.GetValue(steps), result.GetValue(warmup),
                result.GetValue(convolutions) == "onednn", result.GetValue(memoryFormat) == Identifiers.ChannelsLast);
            return result.GetValue(against)
                ? SideBySide(settings, result.GetValue(repeats), result.GetValue(python)!, result.GetValue(jemalloc)!)
                : Alone(settings, result.GetValue(python)!);
        });
        return command;
    }

    private static int Alone(PretrainBenchmarkSettings settings, string python)
    {
        var timing = PretrainBenchmark.Run(settings, TimeProvider.System, ReproduceHost.Current());
        var (id, network, side, images) = (settings.Method, settings.Architecture, settings.Size, settings.Batch);
        Console.WriteLine($"reproduce (TorchSharp {TorchRuntime.ManagedVersion}) {id} {network} {side}px batch {images} threads {timing.Settings.Threads}: {timing.ImagesPerSecond:0.00} images/s ({timing.Settings.Steps} steps in {timing.Elapsed.TotalSeconds:0.0} s); peak working set {timing.PeakBytes >> 20} MB on {NativeHeap.Allocator}'s malloc");
        if (timing.ConvolutionFallback is { } fallback)
        {
            Console.WriteLine($"note: {fallback}");
        }

        Console.WriteLine($"reference: {python} {Script} --method {id} --arch {network} --size {side} --batch {images} --threads {timing.Settings.Threads} --steps {timing.Settings.Steps} --warmup {timing.Settings.Warmup}{(settings.ChannelsLast ? " --channels-last" : "")}   (or --against-pytorch)");
        return 0;
    }

    private static int SideBySide(PretrainBenchmarkSettings settings, int repeats, string python, string jemalloc)
    {
        if (!settings.OneDnn)
        {
            throw new UsageException("--against-pytorch times the default convolutions; leave out --convolutions aten");
        }

        var script = SideBySideReport.ReferenceScript(Script, ("--python", python), ("--jemalloc (apt install libjemalloc2)", jemalloc));

        var contenders = PretrainSideBySide.Contenders(settings, ReproduceHost.Current(), python, script, jemalloc);
        Console.WriteLine($"{settings.Method} {settings.Architecture} {settings.Size}px batch {settings.Batch} threads {settings.Threads}{(settings.ChannelsLast ? ", this build channels-last" : "")}, {settings.Steps} timed steps after {settings.Warmup}; {repeats} round(s) of: {string.Join(", ", contenders.Select(c => c.Name))}");
        SideBySideReport.Print(contenders, repeats, PretrainSideBySide.Unit, "0.00");
        return 0;
    }
}
