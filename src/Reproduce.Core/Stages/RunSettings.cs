namespace Reproduce.Core.Stages;

/// <summary>How cells are run; none of this enters a key except the device type (through the runtime fingerprint).</summary>
public sealed record RunSettings
{
    public string Device { get; init; } = "cpu";

    /// <summary>How to start this build's <c>reproduce</c> again, for a stage's probe in a child process; null: no probes.</summary>
    public ChildCommand? Reproduce { get; init; }

    /// <summary>Cells computed at once by the local executor.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Compute threads per cell (TorchSharp intra-op threads).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// The CUDA devices the workers share out (<c>CUDA_VISIBLE_DEVICES</c> ids), worker i taking device i modulo their
    /// number; empty for the CPU, or to let every cell see every device.
    /// </summary>
    public IReadOnlyList<string> Devices { get; init; } = [];

    /// <summary>Training steps between checkpoints of resumable stages.</summary>
    public int CheckpointEvery { get; init; } = 500;
}
