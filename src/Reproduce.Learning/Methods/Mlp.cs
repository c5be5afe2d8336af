using Reproduce.Learning.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Reproduce.Learning.Methods;

/// <summary>
/// The two-layer heads of the contrastive methods, named as PyTorch's nn.Sequential ("0", "1", …):
/// Linear → [BatchNorm1d] → ReLU → Linear. BYOL's projector and predictor (BN, no bias on the last
/// layer, METHODS.md §2.1), SwAV's projection head (BN, bias, §4.1) and MoCo v2's MLP (no BN, bias, §3.1).
/// PyTorch's default Linear initialisation, drawn from the given generator.
/// </summary>
public static class Mlp
{
    public static Sequential Create(long input, long hidden, long output, bool batchNorm, bool lastBias, Generator init)
    {
        var layers = new List<(string, Module<Tensor, Tensor>)> { ("0", Linear(input, hidden)) };
        if (batchNorm)
        {
            layers.Add(("1", BatchNorm1d(hidden)));
        }

        layers.Add(($"{layers.Count}", ReLU()));
        layers.Add(($"{layers.Count}", Linear(hidden, output, hasBias: lastBias)));
        return ParameterInit.PyTorchDefaults(Sequential(layers), init);
    }
}
