using Reproduce.Core.Keys;

namespace Reproduce.Core.Stages;

/// <summary>
/// What the engine needs to know of a stage before running it. <see cref="Version"/> is the stage's
/// algorithm version: bump it whenever the stage's output for the same parameters changes (it is
/// the code identity in every key of that stage). <see cref="UsesTorch"/> adds the device type and
/// TorchSharp version to the key; <see cref="Resumable"/> keeps the work directory of an
/// interrupted cell so the next run can resume from its checkpoints.
/// </summary>
public sealed record StageDescriptor(string Name, int Version, bool UsesTorch = false, bool Resumable = false)
{
    /// <summary>What the stage's cells' keys take from it.</summary>
    public StageIdentity Identity => new(Version, UsesTorch);
}
