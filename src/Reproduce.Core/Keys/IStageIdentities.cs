namespace Reproduce.Core.Keys;

/// <summary>
/// What a cell's key takes from its stage: the stage's algorithm version (the code identity) and whether it runs on
/// TorchSharp (then the device and TorchSharp version join the key). The stage registry answers it; the keys do not
/// need the stages themselves.
/// </summary>
public interface IStageIdentities
{
    StageIdentity IdentityOf(string stage);
}

/// <param name="Version">bumped whenever the stage's output for the same parameters changes</param>
/// <param name="UsesTorch">whether the runtime (device, TorchSharp version) is part of the key</param>
public sealed record StageIdentity(int Version, bool UsesTorch);
