namespace Reproduce.Core.Keys;

/// <summary>
/// The environment tier that enters the keys of stages that use TorchSharp (DESIGN.md §1): the
/// device type and TorchSharp's major.minor version. Nothing finer (GPU model, driver) so that a
/// cache moves between machines of one kind.
/// </summary>
public sealed record RuntimeFingerprint(string Device, string TorchSharpVersion)
{
    public static readonly IReadOnlyList<string> Devices = ["cpu", "cuda"];
}
