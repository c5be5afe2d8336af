using System.CommandLine;
using Reproduce.Cli.Composition;
using Reproduce.Core.Errors;
using Reproduce.Core.Stages;
using Reproduce.Learning.Benchmarks;
using Reproduce.Learning.Methods;

namespace Reproduce.Cli.Commands;

/// <summary>
/// <c>reproduce bench views</c>: <see cref="ViewsBenchmark"/> for one method (or <c>all</c>) on a tensor store, a temporary
/// synthetic one unless <c>--store</c> names one, with the torchvision reference's command line; with
/// <c>--consumer-rate</c>, the worker cores that keep a consumer of that many images/s fed; with
/// <c>--against-torchvision</c>, <see cref="ViewsSideBySide"/>: this build and torchvision taking turns, and the ratios.
/// </summary>
internal static class ViewsBench
{
    /// <summary>The verb under <see cref="BenchCommand.Name"/>.</summary>
    public const string Name = "views";

    private const string Script = "bench/views_torchvision.py";

    public static Command Create()
    {
        var method = new Option<string>("--method") { Description = "byol, mocov2, swav, spark or all", Required = true };
        var size = new Option<int>("--size") { Description = "global view size in pixels", DefaultValueFactory = _ => 224 };
        var images = new Option<int>("--images") { Description = "images in the synthetic store (ignored with --store)", DefaultValueFactory = _ => 256 };
        var side = new Option<int>("--side") { Description = "the synthetic store's image side (LIDC's store: 512)", DefaultValueFactory = _ => 512 };
        var threads = new Option<int>("--threads") { Description = "prefetch workers, one core each", DefaultValueFactory = _ => 1 };
        var batch = new Option<int>("--batch") { Description = "images per step", DefaultValueFactory = _ => 32 };
        var store = new Option<string?>("--store") { Description = "a preprocessed tensor store to read instead (kept)" };
        var onDevice = new Option<bool>("--on-device") { Description = "build each view as batched ops (views_on_device), on the CPU" };
        var consumerRate = new Option<double?>("--consumer-rate") { Description = "images/s a training step consumes: report the worker cores that keep it fed" };
        var against = new Option<bool>("--against-torchvision") { Description = $"time this build and torchvision on PIL and on tensors ({Script}) in turns on the same store, each in its own process" };
        var repeats = new Option<int>("--repeats") { Description = "rounds of --against-torchvision", DefaultValueFactory = _ => 3 };
        var python = new Option<string>("--python") { Description = "the interpreter with Debian's python3-torchvision and python3-pil", DefaultValueFactory = _ => "/usr/bin/python3" };
        var command = new Command(Name, "time each method's augmentation views from a tensor store");
        foreach (var option in new Option[] { method, size, images, side, threads, batch, store, onDevice, consumerRate, against, repeats, python })
        {
            command.Options.Add(option);
        }

        command.SetAction(result =>
        {
            var requested = result.GetValue(method)!;
            var methods = requested == "all" ? ["byol", "mocov2", "swav", "spark"] : new[] { requested };
            if (methods.FirstOrDefault(m => MethodRegistry.Catalog.Find(m) is null) is { } unknown)
            {
                throw new UsageException($"--method {unknown}: expected byol, mocov2, swav, spark or all");
            }

            if (result.GetValue(threads) < 1 || result.GetValue(batch) < 1 || result.GetValue(images) < 1)
            {
                throw new UsageException("--threads, --batch and --images: at least 1");
            }

            var path = result.GetValue(store);
            var temporary = path is null ? Path.Combine(Path.GetTempPath(), $"reproduce-bench-views-{Environment.ProcessId}") : null;
            try
            {
                if (temporary is not null)
                {
                    ViewsBenchmark.WriteSyntheticStore(temporary, result.GetValue(images), result.GetValue(side));
                    Console.WriteLine($"synthetic store: {result.GetValue(images)} images of {result.GetValue(side)}² in {temporary} (deleted afterwards)");
                }

                foreach (var id in methods)
                {
                    var settings = new ViewsBenchmarkSettings(id, result.GetValue(size), result.GetValue(threads), result.GetValue(batch), result.GetValue(onDevice));
                    if (result.GetValue(against))
                    {
                        AgainstTorchvision(settings, path ?? temporary!, result.GetValue(repeats), result.GetValue(python)!);
                        continue;
                    }

                    var timing = ViewsBenchmark.Run(settings, path ?? temporary!, TimeProvider.System);
                    var recipe = string.Join(" + ", timing.ViewSizes.GroupBy(s => s).Select(g => $"{g.Count()}×{g.Key}"));
                    Console.WriteLine(
                        $"reproduce {id} ({recipe}{(settings.OnDevice ? ", batched" : "")}) threads {settings.Threads}: {timing.ViewsPerSecond:0} views/s = {timing.ViewsPerSecondPerCore:0} views/s per core, {timing.ViewsPerCpuSecond:0} per CPU-second " +
                        $"({timing.Images} images in {timing.Elapsed.TotalSeconds:0.00} s); peak RSS {timing.PeakBytes >> 20} MB");
                    if (result.GetValue(consumerRate) is { } rate)
                    {
                        Console.WriteLine($"  a consumer of {rate:0} images/s ({rate * timing.ViewSizes.Count:0} views/s) needs {timing.CoresToFeed(rate)} worker cores");
                    }

                    var source = path is null ? $"--synthetic {result.GetValue(images)} --side {result.GetValue(side)}" : $"--store {path}";
                    Console.WriteLine($"  reference: /usr/bin/python3 {Script} --method {id} --size {settings.Size} --threads {settings.Threads} {source}   (or --against-torchvision)");
                }
            }
            finally
            {
                if (temporary is not null && Directory.Exists(temporary))
                {
                    Directory.Delete(temporary, recursive: true);
                }
            }

            return 0;
        });
        return command;
    }

    private static void AgainstTorchvision(ViewsBenchmarkSettings settings, string store, int repeats, string python)
    {
        var script = SideBySideReport.ReferenceScript(Script, ("--python", python));

        var contenders = ViewsSideBySide.Contenders(settings, store, ReproduceHost.Current(), python, script);
        Console.WriteLine($"{settings.Method} views at {settings.Size} px, {settings.Threads} worker(s){(settings.OnDevice ? ", this build batched" : "")}, store {store}; {repeats} round(s) of: {string.Join(", ", contenders.Select(c => c.Name))}");
        SideBySideReport.Print(contenders, repeats, ViewsSideBySide.Unit, "0");
    }
}
