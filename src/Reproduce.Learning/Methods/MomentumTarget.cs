using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Methods;

/// <summary>
/// A network that follows another by an exponential moving average of its parameters: BYOL's target
/// (METHODS.md §2.3) and MoCo's key encoder (§3.3). Parameters pair by name — every parameter of the
/// follower has a same-named, same-shaped one in the source, which may have more (BYOL's predictor) — and
/// are looked up on every call, so the pairing survives <c>module.to(device)</c> replacing them (§7.3).
/// Buffers (BN running statistics) are never averaged: each network keeps its own.
/// </summary>
public static class MomentumTarget
{
    /// <summary>Makes <paramref name="follower"/> a copy of <paramref name="source"/> (parameters and buffers) that receives no gradients.</summary>
    public static void Initialise(nn.Module source, nn.Module follower)
    {
        var sourceState = source.state_dict();
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            foreach (var (name, tensor) in follower.state_dict())
            {
                tensor.copy_(Counterpart(sourceState, name, tensor));
            }
        }

        foreach (var parameter in follower.parameters())
        {
            parameter.requires_grad = false;
        }
    }

    /// <summary>ξ ← m·ξ + (1 − m)·θ for every parameter ξ of <paramref name="follower"/> and θ of <paramref name="source"/>.</summary>
    public static void Update(nn.Module source, nn.Module follower, double momentum)
    {
        var sourceParameters = source.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            foreach (var (name, parameter) in follower.named_parameters())
            {
                parameter.mul_(momentum).add_(Counterpart(sourceParameters, name, parameter), alpha: 1 - momentum);
            }
        }
    }

    private static Tensor Counterpart(IReadOnlyDictionary<string, Tensor> source, string name, Tensor follower)
    {
        if (!source.TryGetValue(name, out var counterpart) || !counterpart.shape.SequenceEqual(follower.shape))
        {
            throw new InvalidOperationException($"the momentum network's '{name}' has no same-shaped counterpart in the network it follows");
        }

        return counterpart;
    }
}
