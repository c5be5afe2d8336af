namespace Reproduce.Learning.Optimization;

/// <summary>
/// PyTorch's AdamW: <see cref="Adam"/> with decoupled weight decay, p ← p·(1 − lr·wd) before the Adam
/// update instead of adding wd·p to the gradient (torch ≥ 2 applies it first, as here).
/// </summary>
public sealed class AdamW : Adam
{
    public AdamW(IEnumerable<ParameterGroup> groups, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : base(groups, beta1, beta2, epsilon, decoupledWeightDecay: true, nameof(AdamW))
    {
    }
}
