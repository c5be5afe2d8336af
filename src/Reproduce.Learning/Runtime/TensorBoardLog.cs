using System.Buffers.Binary;
using System.Net;
using Google.Protobuf;
using Tensorboard;
using TorchSharp.Utils;

namespace Reproduce.Learning.Runtime;

/// <summary>
/// A training run's scalars as a TensorBoard event file in the <see cref="Folder"/> of a cell's work directory, so
/// <c>tensorboard --logdir &lt;cache&gt;</c> finds every cell.
/// </summary>
/// <remarks>
/// <para>
/// The files are run records like meta.json, not results (REPRODUCIBILITY.md §3.4): each is named, as TorchSharp's
/// SummaryWriter names its files, <c>events.out.tfevents.&lt;ticks&gt;.&lt;host&gt;.&lt;pid&gt;.&lt;n&gt;</c>, and
/// every event carries the cell clock's wall time in whole seconds, so no two runs give the same bytes. A resumed
/// pre-training adds a second file, in which the steps after the checkpoint appear a second time.
/// </para>
/// <para>
/// The records are TensorBoard's (TFRecord framing of <c>tensorboard.Event</c>, with TorchSharp's generated protobuf
/// types and CRC32C), written here rather than through TorchSharp 0.107's <c>SummaryWriter</c>: its <c>add_scalar</c>
/// opens, appends to and closes the file for every scalar, and its <c>add_scalars</c> writes each tag to a file of its
/// own under another tag. <see cref="Scalars"/> appends the scalars of one step or epoch, one event each, in one
/// write. The log keeps no file open: each append is flushed and the file closed before the call returns, so there is
/// nothing to dispose, and everything logged is on disk before the cell is published.
/// </para>
/// </remarks>
public sealed class TensorBoardLog
{
    public const string Folder = "tensorboard";

    /// <summary>The training loss: per step in pre-training, the epoch's mean in fine-tuning.</summary>
    public const string Loss = "loss";

    public const string LearningRate = "lr";

    /// <summary>Training images per second: of one step in pre-training, of the epoch's training pass in fine-tuning.</summary>
    public const string ImagesPerSecond = "images_per_second";

    public const string ValidationLoss = "validation/loss";

    public const string ValidationAccuracy = "validation/accuracy";

    private const string FileVersion = "brain.Event:2";

    private readonly TimeProvider clock;
    private readonly string path;

    /// <summary>Creates the event file, holding the file-version event TensorBoard expects first.</summary>
    public TensorBoardLog(string cellDirectory, TimeProvider clock)
    {
        this.clock = clock;
        Directory = System.IO.Directory.CreateDirectory(Path.Combine(cellDirectory, Folder)).FullName;
        var name = $"events.out.tfevents.{clock.GetUtcNow().UtcTicks}.{Dns.GetHostName()}.{Environment.ProcessId}";
        using var file = CreateNew(Path.Combine(Directory, name), out path);
        file.Write(Record(new Event { FileVersion = FileVersion, WallTime = WallTime() }));
    }

    /// <summary>Where the event files go.</summary>
    public string Directory { get; }

    /// <summary>Appends one scalar at <paramref name="step"/>; a value that is not finite is logged as it is.</summary>
    public void Scalar(string tag, double value, long step) => Scalars(step, (tag, value));

    /// <summary>Appends the scalars of one step, one event each and in order, in a single write.</summary>
    public void Scalars(long step, params ReadOnlySpan<(string Tag, double Value)> scalars)
    {
        var wallTime = WallTime();
        using var records = new MemoryStream();
        foreach (var (tag, value) in scalars)
        {
            var summary = new Summary();
            summary.Value.Add(new Summary.Types.Value { Tag = tag, SimpleValue = (float)value });
            records.Write(Record(new Event { Step = step, WallTime = wallTime, Summary = summary }));
        }

        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        records.WriteTo(file);
    }

    /// <summary>The clock's time in whole seconds, as TorchSharp's writer stamps events.</summary>
    private double WallTime() => clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>One record: the data's length (little-endian uint64), its masked CRC32C, the data, the data's masked CRC32C.</summary>
    private static byte[] Record(Event evnt)
    {
        var data = evnt.ToByteArray();
        var record = new byte[8 + 4 + data.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), MaskedCrc(record[..8]));
        data.CopyTo(record, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12 + data.Length), MaskedCrc(data));
        return record;
    }

    /// <summary>TFRecord's masking of a CRC32C: rotated right by 15 bits, plus a constant.</summary>
    private static uint MaskedCrc(byte[] data)
    {
        var crc = CRC32C.process(data);
        return unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8u);
    }

    /// <summary>A new file at <paramref name="stem"/><c>.1</c>, or <c>.2</c> and on when a log of the same tick exists.</summary>
    private static FileStream CreateNew(string stem, out string created)
    {
        for (var n = 1; ; n++)
        {
            created = $"{stem}.{n}";
            try
            {
                return new FileStream(created, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            }
            catch (IOException) when (File.Exists(created))
            {
                // Another log of this process and tick took the name; the next number is free.
            }
        }
    }
}
