namespace Reproduce.Core.Manifests;

/// <summary>
/// An init read from a weights file rather than pre-trained by the suite (<c>finetune.inits: [{imagenet: {file: PATH}}]</c>):
/// a PyTorch state dict (<c>torch.save</c>'s zip format: .pt, .pth, .ckpt) or a safetensors file whose tensors, after
/// <see cref="PrefixMap"/>, carry the trunk's torchvision names.
/// </summary>
public sealed record InitFileSpec
{
    /// <summary>The init's id, as it appears in cell addresses and tables.</summary>
    public required string Id { get; init; }

    public required ConfiguredPath File { get; init; }

    /// <summary>
    /// Key prefixes to rewrite, in order, the first that matches winning (<c>module.encoder_q.</c> → <c>""</c>); a key
    /// no entry matches keeps its name. Empty for a file in torchvision's names.
    /// </summary>
    public required IReadOnlyList<KeyValuePair<string, string>> PrefixMap { get; init; }

    /// <summary>
    /// Left out of the run, with a notice, when <see cref="File"/> names an environment variable that is not set: a
    /// manifest can offer the init to those who have the file without failing for everyone else.
    /// </summary>
    public required bool Optional { get; init; }
}
