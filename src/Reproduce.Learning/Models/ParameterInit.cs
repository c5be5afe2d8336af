using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reproduce.Learning.Models;

/// <summary>
/// The initialisations the networks use, each drawing from a given generator (a cell's
/// <see cref="Runtime.CellRandom.Init"/>) rather than torch's global one. Fans follow PyTorch's
/// <c>_calculate_fan_in_and_fan_out</c>: fan_in = size(1) × receptive field, fan_out = size(0) × receptive field.
/// </summary>
public static class ParameterInit
{
    /// <summary>
    /// <c>kaiming_normal_(mode='fan_out', nonlinearity='relu')</c>: N(0, 2 / fan_out). torchvision's ResNet
    /// convolutions and SparK's ConvTranspose2d weights.
    /// </summary>
    public static void KaimingNormalFanOut(Tensor weight, Generator generator)
    {
        using var noGrad = no_grad();
        weight.normal_(0, Math.Sqrt(2.0 / (weight.shape[0] * ReceptiveField(weight))), generator);
    }

    /// <summary>
    /// What <c>reset_parameters</c> of PyTorch's Linear, Conv2d and ConvTranspose2d draws: weight and bias from
    /// U(−1/√fan_in, 1/√fan_in) (<c>kaiming_uniform_</c> with a = √5 gives that bound for the weight).
    /// </summary>
    public static void PyTorchDefault(Tensor weight, Tensor? bias, Generator generator)
    {
        using var noGrad = no_grad();
        var bound = 1 / Math.Sqrt(weight.shape[1] * ReceptiveField(weight));
        weight.uniform_(-bound, bound, generator);
        bias?.uniform_(-bound, bound, generator);
    }

    /// <summary>Draws PyTorch's default initialisation for <paramref name="module"/> and every Linear, Conv2d and ConvTranspose2d in it, in TorchSharp's module order.</summary>
    public static T PyTorchDefaults<T>(T module, Generator generator)
        where T : nn.Module
    {
        foreach (var layer in module.modules().Prepend(module))
        {
            switch (layer)
            {
                case Linear linear:
                    PyTorchDefault(linear.weight!, linear.bias, generator);
                    break;
                case Conv2d conv:
                    PyTorchDefault(conv.weight!, conv.bias, generator);
                    break;
                case ConvTranspose2d upSample:
                    PyTorchDefault(upSample.weight!, upSample.bias, generator);
                    break;
            }
        }

        return module;
    }

    private static long ReceptiveField(Tensor weight) => weight.shape.Skip(2).Aggregate(1L, (product, side) => product * side);
}
