using Reproduce.Learning.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reproduce.Learning.Optimization;

/// <summary>Each method's rule for which parameters get weight decay (and, for BYOL's LARS, the trust ratio).</summary>
public static class ParameterGrouping
{
    /// <summary>SparK's extra no-decay names (<c>main.py</c> nowd_keys; only mask_token exists in a ResNet model).</summary>
    private static readonly string[] SparkNoDecayKeys = ["cls_token", "pos_embed", "mask_token", "gamma"];

    /// <summary>
    /// BYOL (METHODS.md §2.1, §2.5): biases and batch-norm parameters get neither weight decay nor LARS
    /// adaptation. A bias is a parameter named "bias"; a batch-norm parameter is one registered directly on
    /// a module that <paramref name="isBatchNorm"/> accepts (by default TorchSharp's BatchNorm1d/2d/3d and
    /// the trunk's <see cref="MaskedBatchNorm2d"/>), found by walking the modules, not by guessing from
    /// names or shapes.
    /// </summary>
    public static ParameterSplit Byol(nn.Module module, Func<nn.Module, bool>? isBatchNorm = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        isBatchNorm ??= static candidate => candidate is BatchNorm or MaskedBatchNorm2d;
        var batchNormParameters = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (prefix, owner) in module.named_modules().Prepend((string.Empty, module)))
        {
            if (isBatchNorm(owner))
            {
                batchNormParameters.UnionWith(owner.named_parameters(recurse: false).Select(named => Qualified(prefix, named.name)));
            }
        }

        return Split(module, (name, _) => name.Split('.')[^1] == "bias" || batchNormParameters.Contains(name));
    }

    /// <summary>
    /// SparK (<c>pretrain/utils/lr_control.py</c> get_param_groups, METHODS.md §1.1): no decay for every 1-D
    /// parameter, every name ending in ".bias", and names containing mask_token (or cls_token, pos_embed,
    /// gamma). Parameters that do not require gradients are left out, as the reference does.
    /// </summary>
    public static ParameterSplit Spark(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return Split(
            module,
            (name, parameter) => parameter.shape.Length == 1
                || name.EndsWith(".bias", StringComparison.Ordinal)
                || SparkNoDecayKeys.Any(key => name.Contains(key, StringComparison.Ordinal)),
            parameter => parameter.requires_grad);
    }

    /// <summary>
    /// Weight decay on every parameter: SwAV, MoCo v2 and fine-tuning (METHODS.md §3.1, §4.1; PROTOCOL.md §5, §6,
    /// whose Lightning code passes <c>self.parameters()</c>). Frozen parameters stay in: they are skipped while
    /// their gradient is null and trained once unfrozen.
    /// </summary>
    public static ParameterSplit AllDecay(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return Split(module, (_, _) => false);
    }

    private static ParameterSplit Split(nn.Module module, Func<string, Parameter, bool> noDecay, Func<Parameter, bool>? included = null)
    {
        var decay = new List<(string Name, Parameter Parameter)>();
        var none = new List<(string Name, Parameter Parameter)>();
        foreach (var (name, parameter) in module.named_parameters())
        {
            if (included is null || included(parameter))
            {
                (noDecay(name, parameter) ? none : decay).Add((name, parameter));
            }
        }

        return new ParameterSplit(decay, none);
    }

    private static string Qualified(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";
}
