using Reproduce.Core.Stages;

namespace Reproduce.Learning.Benchmarks;

/// <summary>
/// <see cref="ViewsBenchmark"/> beside torchvision (<see cref="SideBySide"/>): this build's <c>reproduce bench views</c>
/// and the repository's reference script (<c>bench/views_torchvision.py</c>) make the same recipe's views from the same
/// store file, with the same number of single-threaded workers.
/// </summary>
public static class ViewsSideBySide
{
    /// <summary>What both sides print their rate in.</summary>
    public const string Unit = "views/s";

    /// <summary>torchvision on PIL images, the references' own loaders.</summary>
    public const string Pil = "torchvision pil";

    /// <summary>torchvision's transforms on float tensors.</summary>
    public const string Tensor = "torchvision tensor";

    /// <summary>The three contenders for <paramref name="settings"/> on the store at <paramref name="store"/>: this build, torchvision on PIL and on tensors.</summary>
    public static IReadOnlyList<Contender> Contenders(ViewsBenchmarkSettings settings, string store, ChildCommand reproduce, string python, string script)
    {
        string[] common = ["--method", settings.Method, "--size", SideBySide.Argument(settings.Size), "--threads", SideBySide.Argument(settings.Threads), "--store", store];
        var none = new Dictionary<string, string>();
        return
        [
            new(SideBySide.Ours, reproduce.FileName, [.. reproduce.Arguments, "bench", "views", .. common, "--batch", SideBySide.Argument(settings.Batch), .. settings.OnDevice ? ["--on-device"] : Array.Empty<string>()], none),
            new(Pil, python, [script, .. common, "--path", "pil"], none),
            new(Tensor, python, [script, .. common, "--path", "tensor"], none),
        ];
    }
}
