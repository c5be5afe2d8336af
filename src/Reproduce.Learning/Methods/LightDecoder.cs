using Reproduce.Learning.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Reproduce.Learning.Methods;

/// <summary>
/// SparK's light UNet decoder (METHODS.md §1.3 step 4, the reference's <c>LightDecoder</c>): log2(32) = 5
/// blocks, each ConvTranspose2d k4 s2 p1 (×2 upsampling) → Conv3×3 → BN → ReLU6 → Conv3×3 → BN, halving
/// the width from <c>width</c> to width/32, then a 1×1 projection to the image channels. Block i first
/// adds the densified map D_i of its input resolution (i &lt; 4). Names follow the reference:
/// <c>dec.{i}.up_sample</c>, <c>dec.{i}.conv.{0,1,3,4}</c>, <c>proj</c>.
/// </summary>
public sealed class LightDecoder : Module<IReadOnlyList<Tensor>, Tensor>
{
    private readonly ModuleList<Sequential> dec;
    private readonly Conv2d proj;

    public LightDecoder(string name, long width, long outChannels, Generator init)
        : base(name)
    {
        // One ×2 block per halving of the encoder's total stride: the output has the input's resolution.
        var blocks = (int)Math.Round(Math.Log2(ResNet.Downsampling));
        var channels = Enumerable.Range(0, blocks + 1).Select(i => width >> i).ToArray();
        dec = ModuleList(channels.Zip(channels.Skip(1), UNetBlock).ToArray());
        proj = Conv2d(channels[^1], outChannels, 1);
        RegisterComponents();
        Initialise(init);
    }

    /// <summary>The densified maps D_0 … D_3 (smallest first) to the reconstruction (B, C, H, W).</summary>
    public override Tensor forward(IReadOnlyList<Tensor> densified)
    {
        if (densified.Count is 0 || densified.Count > dec.Count)
        {
            throw new ArgumentException($"the decoder takes 1 to {dec.Count} densified maps; got {densified.Count}", nameof(densified));
        }

        var x = densified[0];
        for (var i = 0; i < dec.Count; i++)
        {
            if (i > 0 && i < densified.Count)
            {
                x += densified[i];
            }

            x = dec[i].forward(x);
        }

        return proj.forward(x);
    }

    private static Sequential UNetBlock(long inChannels, long outChannels) => Sequential(
        ("up_sample", ConvTranspose2d(inChannels, inChannels, 4, stride: 2, padding: 1)),
        ("conv", Sequential(
            ("0", Conv2d(inChannels, inChannels, 3, padding: 1, bias: false)),
            ("1", BatchNorm2d(inChannels)),
            ("2", ReLU6()),
            ("3", Conv2d(inChannels, outChannels, 3, padding: 1, bias: false)),
            ("4", BatchNorm2d(outChannels)))));

    /// <summary>
    /// The reference's <c>initialize</c>: Conv2d weights trunc_normal(std 0.02, bounds ±2, so in effect
    /// untruncated), ConvTranspose2d weights kaiming_normal(fan_out, ReLU), biases 0; BN keeps γ = 1, β = 0.
    /// </summary>
    private void Initialise(Generator generator)
    {
        foreach (var module in modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    TruncatedNormal.Fill(conv.weight!, std: 0.02, bound: 2, generator);
                    ZeroBias(conv.bias);
                    break;
                case ConvTranspose2d upSample:
                    ParameterInit.KaimingNormalFanOut(upSample.weight!, generator);
                    ZeroBias(upSample.bias);
                    break;
            }
        }
    }

    private static void ZeroBias(Tensor? bias)
    {
        using (no_grad())
        {
            bias?.zero_();
        }
    }
}
