using Reproduce.Learning.Models;
using Reproduce.Learning.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Reproduce.Learning.Finetuning;

/// <summary>
/// The downstream network (PROTOCOL.md §4): the ResNet trunk, global average pooled, and one linear layer to the
/// task's classes. Parameters are named <c>trunk.*</c> and <c>fc.*</c>.
/// </summary>
public sealed class Classifier : Module<Tensor, Tensor>
{
    private readonly ResNet trunk;
    private readonly Linear fc;

    public Classifier(ResNetOptions options, int classes, CellRandom random)
        : base(nameof(Classifier))
    {
        trunk = new ResNet(options, random);
        fc = ParameterInit.PyTorchDefaults(Linear(trunk.FeatureDim, classes), random.Init);
        RegisterComponents();
    }

    public ResNet Trunk => trunk;

    public override Tensor forward(Tensor input) => fc.forward(trunk.forward(input));

    /// <summary>
    /// Freezes or unfreezes the trunk as Lightning's BackboneFinetuning does (PROTOCOL.md §6): frozen, only the
    /// head and — with <paramref name="trainBatchNorm"/> — the trunk's BN affine parameters get gradients. A frozen
    /// parameter's gradient stays null, so the optimizer skips it entirely (no weight decay, no moment update).
    /// </summary>
    public void FreezeTrunk(bool frozen, bool trainBatchNorm)
    {
        var batchNorm = trunk.modules().OfType<MaskedBatchNorm2d>().SelectMany(m => m.parameters()).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var parameter in trunk.parameters())
        {
            parameter.requires_grad = !frozen || (trainBatchNorm && batchNorm.Contains(parameter));
        }
    }
}
