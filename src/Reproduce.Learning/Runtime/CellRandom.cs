using Reproduce.Core.Randomness;
using static TorchSharp.torch;

namespace Reproduce.Learning.Runtime;

/// <summary>
/// The torch random streams of one cell, seeded from the cell's seed alone. Nothing inside a cell draws from
/// torch's process-global generator, so a cell draws the same numbers in any process, on any thread and in
/// any order of cells. <see cref="Init"/> fills parameters and buffers while the networks are built;
/// <see cref="Steps"/> serves the draws of training (SparK's masks, drop path, MoCo's key shuffle) and is the
/// state a checkpoint keeps. Two streams, so that a change to a network's size does not move every later mask.
/// Both are CPU generators, on CUDA too: TorchSharp 0.107 cannot create a CUDA generator (its native
/// THSGenerator_new ignores the device and always makes a CPU one), so <see cref="Init"/> fills the networks on
/// the CPU before they are moved, and <see cref="Uniform"/> and <see cref="Permutation"/> draw on the CPU and move
/// the result. A cell's draws therefore do not depend on the GPU it runs on. They are not the CPU run's draws:
/// the device is part of the key (DESIGN.md §1 "Keys"), and the seeds come from the key.
/// </summary>
public sealed class CellRandom : IDisposable
{
    public CellRandom(long seed)
    {
        Init = new Generator(SplitMix64.For(seed, "torch/init").NextUInt64());
        Steps = new Generator(SplitMix64.For(seed, "torch/steps").NextUInt64());
    }

    /// <summary>The stream of initial weights, queues and other tensors drawn once when a network is built.</summary>
    public Generator Init { get; }

    /// <summary>The stream of per-step draws; its state is saved in and restored from a pre-training checkpoint.</summary>
    public Generator Steps { get; }

    /// <summary>U[0, 1) of <paramref name="shape"/> from <see cref="Steps"/>, on <paramref name="device"/>.</summary>
    public Tensor Uniform(long[] shape, Device device) => Moved(rand(shape, generator: Steps), device);

    /// <summary>A random permutation of [0, <paramref name="count"/>) from <see cref="Steps"/>, on <paramref name="device"/>.</summary>
    public Tensor Permutation(long count, Device device) => Moved(randperm(count, generator: Steps), device);

    public void Dispose()
    {
        Init.Dispose();
        Steps.Dispose();
    }

    private static Tensor Moved(Tensor drawn, Device device) => drawn.to(device, disposeAfter: true);
}
