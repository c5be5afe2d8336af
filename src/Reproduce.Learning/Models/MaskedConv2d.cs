using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Reproduce.Learning.Models;

/// <summary>
/// A 2-D convolution with PyTorch's parameter names (<c>weight</c>, <c>bias</c>) whose output is
/// multiplied by the sparse mask at the output's resolution when one is in use (SparK's sparse conv,
/// METHODS.md §1.4). Initialised as torchvision's ResNet: kaiming normal, fan_out, ReLU gain, from the given generator.
/// </summary>
public sealed class MaskedConv2d : Module<Tensor, Tensor>
{
    private readonly SparseMask mask;
    private readonly long stride;
    private readonly long padding;
    private readonly Parameter weight;
    private readonly Parameter? bias;

    public MaskedConv2d(string name, long inChannels, long outChannels, long kernel, long stride, long padding, SparseMask mask, Generator init, bool withBias = false)
        : base(name)
    {
        this.mask = mask;
        this.stride = stride;
        this.padding = padding;
        weight = new Parameter(empty(outChannels, inChannels, kernel, kernel));
        ParameterInit.KaimingNormalFanOut(weight, init);
        bias = withBias ? new Parameter(zeros(outChannels)) : null;
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public override Tensor forward(Tensor input)
    {
        var output = functional.conv2d(input, weight, bias, strides: [stride, stride], padding: [padding, padding]);
        if (mask.Active is null)
        {
            return output;
        }

        // The unmasked output is read by nothing after the product (its gradient needs only the mask): freed now.
        using (output)
        {
            return output * mask.At(output.shape[2], output.shape[3]);
        }
    }
}
