using TorchSharp.Modules;
using static TorchSharp.torch.utils;

namespace Reproduce.Learning.Runtime;

/// <summary>
/// A training run's scalars as TensorBoard event files, written with TorchSharp's <see cref="SummaryWriter"/> into
/// the <see cref="Folder"/> of a cell's work directory, so <c>tensorboard --logdir &lt;cache&gt;</c> finds every cell.
/// </summary>
/// <remarks>
/// The files are run records like meta.json, not results (REPRODUCIBILITY.md §3.4): TorchSharp names each file by
/// the time, the host and the process and stamps its first event with the time, so no two runs give the same bytes.
/// The events' wall times come from the cell's clock, in whole seconds as the writer takes them. The writer keeps no
/// file open: each event is appended, flushed and the file closed before the call returns, so there is nothing to
/// dispose, and everything logged is on disk before the cell is published. A resumed pre-training adds a second file,
/// in which the steps after the checkpoint appear a second time. Opening the file for every scalar (three a
/// pre-training step, five a fine-tuning epoch) costs microseconds against a step's milliseconds to seconds, so the
/// library's writer stays rather than a TFRecord writer of our own.
/// </remarks>
public sealed class TensorBoardLog(string cellDirectory, TimeProvider clock)
{
    public const string Folder = "tensorboard";

    /// <summary>The training loss: per step in pre-training, the epoch's mean in fine-tuning.</summary>
    public const string Loss = "loss";

    public const string LearningRate = "lr";

    /// <summary>Training images per second: of one step in pre-training, of the epoch's training pass in fine-tuning.</summary>
    public const string ImagesPerSecond = "images_per_second";

    public const string ValidationLoss = "validation/loss";

    public const string ValidationAccuracy = "validation/accuracy";

    private readonly SummaryWriter writer = tensorboard.SummaryWriter(Path.Combine(cellDirectory, Folder));

    /// <summary>Where the event files go.</summary>
    public string Directory => writer.LogDir;

    /// <summary>Appends one scalar at <paramref name="step"/>; a value that is not finite is logged as it is.</summary>
    public void Scalar(string tag, double value, long step) =>
        writer.add_scalar(tag, (float)value, checked((int)step), clock.GetUtcNow().ToUnixTimeSeconds());
}
