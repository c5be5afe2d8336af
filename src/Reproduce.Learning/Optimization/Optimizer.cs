using System.Text.RegularExpressions;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Reproduce.Learning.Optimization;

/// <summary>
/// The base of this project's optimizers: parameter groups, a step under no-grad in a dispose scope,
/// PyTorch ≥ 2 <see cref="ZeroGrad"/>, and state that round-trips through checkpoints by name.
/// It does not build on TorchSharp's OptimizerHelper, so checkpoints do not depend on that state format.
/// </summary>
/// <remarks>
/// State names are "group{g}.param{i}.{name}" for per-parameter state and "group{g}.step" for group
/// counters, with g and i the positions in <see cref="Groups"/> and in the group's parameter list.
/// Learning rates and weight decays are not state: the loop sets them from its schedule every step.
/// </remarks>
public abstract partial class Optimizer : IDisposable
{
    private const string StepName = "step";
    private const string StateArgument = "state";

    private readonly OptimizerStateLayout layout;
    private readonly Dictionary<string, Tensor> tensors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> steps = new(StringComparer.Ordinal);
    private bool disposed;

    protected Optimizer(IEnumerable<ParameterGroup> groups, OptimizerStateLayout layout)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Groups = [.. groups];
        if (Groups.Count == 0)
        {
            throw new ArgumentException("An optimizer needs at least one parameter group.", nameof(groups));
        }

        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        if (Groups.SelectMany(group => group.Parameters).Any(parameter => !seen.Add(parameter)))
        {
            // As PyTorch: one parameter in two groups would get two updates per step.
            throw new ArgumentException("A parameter appears more than once in the groups.", nameof(groups));
        }

        this.layout = layout;
    }

    public IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>Sets every group's learning rate (for schedules that drive all groups alike).</summary>
    public void SetLearningRate(double learningRate)
    {
        foreach (var group in Groups)
        {
            group.LearningRate = learningRate;
        }
    }

    /// <summary>One update of every parameter that has a gradient; parameters whose gradient is null are skipped.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Update();
    }

    /// <summary>
    /// Sets every gradient to null, as PyTorch ≥ 2's <c>zero_grad()</c> (set_to_none=True) and unlike
    /// TorchSharp's, which zeroes them: a parameter that then gets no gradient is skipped by the next
    /// step, with no weight decay or momentum (METHODS.md §6, §7.3; SwAV's prototype freeze relies on it).
    /// </summary>
    public void ZeroGrad()
    {
        foreach (var parameter in Groups.SelectMany(group => group.Parameters))
        {
            parameter.grad = null;
        }
    }

    /// <summary>
    /// A copy of the state, in name order: per-parameter tensors, and step counters as int64 scalars.
    /// The caller owns the returned tensors. Loading them into a fresh optimizer over equal parameters
    /// continues bitwise as if training had not stopped.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> StateTensors()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var state = new SortedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in tensors)
        {
            state[name] = value.clone();
        }

        foreach (var (name, step) in steps)
        {
            state[name] = tensor(step, ScalarType.Int64);
        }

        return state;
    }

    /// <summary>
    /// Replaces the state with a copy of <paramref name="state"/> (as returned by <see cref="StateTensors"/>),
    /// moved to each parameter's device. Everything is checked before anything changes: unknown names,
    /// indices out of range, shapes or dtypes unlike the parameter's, and incomplete state are refused.
    /// </summary>
    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(state);
        var entries = state.Select(entry => ParseEntry(entry.Key, entry.Value)).ToList();
        CheckComplete(entries);

        ClearState();
        using var noGrad = no_grad();
        foreach (var entry in entries)
        {
            if (entry.Name == StepName)
            {
                steps[entry.Key] = entry.Value.item<long>();
            }
            else
            {
                var parameter = Groups[entry.Group].Parameters[entry.Index!.Value];
                tensors[entry.Key] = empty_like(parameter).copy_(entry.Value).DetachFromDisposeScope();
            }
        }
    }

    public void Dispose()
    {
        if (!disposed)
        {
            ClearState();
            disposed = true;
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The update of every group, called by <see cref="Step"/> under no-grad inside a dispose scope.</summary>
    protected abstract void Update();

    /// <summary>
    /// The parameters of group <paramref name="group"/> that have a gradient, with their index. The
    /// gradient is an alias that TorchSharp's dispose scope does not track (METHODS.md §7.4); it is
    /// disposed when the enumeration moves on.
    /// </summary>
    protected IEnumerable<(int Index, Parameter Parameter, Tensor Gradient)> WithGradients(int group)
    {
        var parameters = Groups[group].Parameters;
        for (var index = 0; index < parameters.Count; index++)
        {
            using var gradient = parameters[index].grad;
            if (gradient is not null)
            {
                yield return (index, parameters[index], gradient);
            }
        }
    }

    /// <summary>The named state tensor of a parameter, or null before its first step.</summary>
    protected Tensor? FindState(int group, int index, string name) =>
        tensors.GetValueOrDefault(TensorKey(group, index, name));

    /// <summary>Keeps <paramref name="initial"/> (now owned by the optimizer, beyond the step's dispose scope) as the named state of a parameter.</summary>
    protected Tensor KeepState(int group, int index, string name, Tensor initial)
    {
        var key = TensorKey(group, index, name);
        if (tensors.ContainsKey(key))
        {
            throw new InvalidOperationException($"State '{key}' exists already.");
        }

        tensors[key] = initial.DetachFromDisposeScope();
        return initial;
    }

    /// <summary>The named state tensor of a parameter, created as zeros on first use.</summary>
    protected Tensor ZeroInitialisedState(int group, int index, string name) =>
        FindState(group, index, name) ?? KeepState(group, index, name, zeros_like(Groups[group].Parameters[index]));

    /// <summary>Counts one more step of a parameter and returns the new count (1 on the first step).</summary>
    protected long AdvanceParameterStep(int group, int index)
    {
        RequireDeclared(layout.ParameterSteps, StepName);
        return Advance(ParameterKey(group, index, StepName));
    }

    /// <summary>Counts one more step of a group and returns the new count (1 on the first step).</summary>
    protected long AdvanceGroupStep(int group)
    {
        RequireDeclared(layout.GroupSteps, StepName);
        return Advance(GroupKey(group, StepName));
    }

    /// <summary>Adam's and LAMB's β lie in [0, 1).</summary>
    protected static double RequireBeta(double beta, string name) =>
        beta is >= 0 and < 1 ? beta : throw new ArgumentOutOfRangeException(name, beta, "Betas lie in [0, 1).");

    /// <summary>For optimizers without BYOL's exclusion: a flagged group would be silently treated like any other.</summary>
    protected static IEnumerable<ParameterGroup> WithoutAdaptationExclusions(IEnumerable<ParameterGroup> groups, string optimizer)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var list = groups.ToList();
        return list.Any(group => group.ExcludedFromAdaptation)
            ? throw new ArgumentException($"{optimizer} has no groups excluded from adaptation; that flag is BYOL's LARS's.", nameof(groups))
            : list;
    }

    private long Advance(string key)
    {
        var step = steps.GetValueOrDefault(key) + 1;
        steps[key] = step;
        return step;
    }

    private string TensorKey(int group, int index, string name)
    {
        RequireDeclared(layout.ParameterTensors.Contains(name), name);
        return ParameterKey(group, index, name);
    }

    private void RequireDeclared(bool declared, string name)
    {
        if (!declared)
        {
            throw new InvalidOperationException($"{GetType().Name} uses state '{name}' that its layout does not declare.");
        }
    }

    private void ClearState()
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }

        tensors.Clear();
        steps.Clear();
    }

    private StateEntry ParseEntry(string key, Tensor value)
    {
        var match = StateKeyPattern().Match(key);
        if (!match.Success)
        {
            throw new ArgumentException($"Optimizer state '{key}' is not named group<g>[.param<i>].<name>.", StateArgument);
        }

        var name = match.Groups["name"].Value;
        var inRange = int.TryParse(match.Groups["group"].ValueSpan, out var group) && group < Groups.Count;
        int? index = null;
        if (match.Groups["index"].Success)
        {
            var parsed = int.TryParse(match.Groups["index"].ValueSpan, out var i);
            inRange = inRange && parsed && i < Groups[group].Parameters.Count;
            index = i;
        }

        var canonical = index is { } position ? ParameterKey(group, position, name) : GroupKey(group, name);
        if (!inRange || canonical != key)
        {
            throw new ArgumentException($"Optimizer state '{key}' names no parameter of this optimizer's groups.", StateArgument);
        }

        var known = index is null
            ? layout.GroupSteps && name == StepName
            : (layout.ParameterSteps && name == StepName) || layout.ParameterTensors.Contains(name);
        if (!known)
        {
            throw new ArgumentException($"Optimizer state '{key}' is not state of {GetType().Name}.", StateArgument);
        }

        if (name == StepName)
        {
            if (value.dtype != ScalarType.Int64 || value.Dimensions != 0 || value.item<long>() < 1)
            {
                throw new ArgumentException($"Optimizer state '{key}' must be a positive int64 scalar.", StateArgument);
            }
        }
        else
        {
            var parameter = Groups[group].Parameters[index!.Value];
            if (!value.shape.SequenceEqual(parameter.shape) || value.dtype != parameter.dtype)
            {
                throw new ArgumentException(
                    $"Optimizer state '{key}' is {value.dtype} [{string.Join(", ", value.shape)}], its parameter {parameter.dtype} [{string.Join(", ", parameter.shape)}].",
                    StateArgument);
            }
        }

        return new StateEntry(key, group, index, name, value);
    }

    /// <summary>A parameter has all of its state or none; a group with parameter state has its counter.</summary>
    private void CheckComplete(IReadOnlyList<StateEntry> entries)
    {
        var keys = entries.Select(entry => entry.Key).ToHashSet(StringComparer.Ordinal);
        var parameterNames = layout.ParameterTensors.Concat(layout.ParameterSteps ? [StepName] : []).ToList();
        foreach (var (group, index) in entries.Where(entry => entry.Index is not null).Select(entry => (entry.Group, entry.Index!.Value)).Distinct())
        {
            var missing = parameterNames.Where(name => !keys.Contains(ParameterKey(group, index, name))).ToList();
            if (missing.Count > 0)
            {
                throw new ArgumentException($"Optimizer state of group {group} parameter {index} lacks {string.Join(", ", missing)}.", StateArgument);
            }

            if (layout.GroupSteps && !keys.Contains(GroupKey(group, StepName)))
            {
                throw new ArgumentException($"Optimizer state of group {group} has parameter state but no '{GroupKey(group, StepName)}'.", StateArgument);
            }
        }
    }

    private static string ParameterKey(int group, int index, string name) => $"group{group}.param{index}.{name}";

    private static string GroupKey(int group, string name) => $"group{group}.{name}";

    [GeneratedRegex(@"^group(?<group>\d+)\.(?:param(?<index>\d+)\.)?(?<name>[a-z_]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex StateKeyPattern();

    private sealed record StateEntry(string Key, int Group, int? Index, string Name, Tensor Value);
}
