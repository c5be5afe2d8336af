using Reproduce.Learning.Optimization;
using static Reproduce.Learning.Tests.Optimization.OptimizerTestKit;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Reproduce.Learning.Tests.Optimization;

/// <summary>The base: checkpoint state, ZeroGrad, group checks.</summary>
public class OptimizerStateTests
{
    private const int Steps = 6;
    private const int StopAfter = 3;

    public static TheoryData<string> Optimizers => ["sgd", "adam", "adamw", "byol-lars", "larc", "bolts-lars", "lamb"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void SavedStateContinuesBitwiseInAFreshOptimizerOverEqualParameters(string kind)
    {
        using var scope = NewDisposeScope();
        Tensor[] initial = [Random(1, 5, 4), Random(2, 4), Random(3, 3)];

        var uninterrupted = initial.Select(ParameterFrom).ToList();
        using (var optimizer = Create(kind, uninterrupted))
        {
            Train(optimizer, uninterrupted, from: 0, to: Steps);
        }

        var first = initial.Select(ParameterFrom).ToList();
        IReadOnlyDictionary<string, Tensor> saved;
        using (var optimizer = Create(kind, first))
        {
            Train(optimizer, first, from: 0, to: StopAfter);
            saved = optimizer.StateTensors();
        }

        // Fresh parameter objects with the checkpoint's values, and a fresh optimizer over them.
        var resumed = first.Select(parameter => ParameterFrom(Snapshot(parameter))).ToList();
        using (var optimizer = Create(kind, resumed))
        {
            optimizer.LoadState(saved);
            Train(optimizer, resumed, from: StopAfter, to: Steps);
        }

        Assert.NotEmpty(saved);
        for (var i = 0; i < initial.Length; i++)
        {
            AssertBitwiseEqual(uninterrupted[i], resumed[i]);
        }
    }

    [Fact]
    public void StateIsNamedByGroupAndParameterWithInt64StepCounters()
    {
        using var scope = NewDisposeScope();
        var parameters = new[] { ParameterFrom(Random(10, 2, 2)), ParameterFrom(Random(11, 2)) };
        using var adam = new Adam([Group([parameters[0]], 0.1), Group([parameters[1]], 0.1)]);
        SetGradients(parameters, seed: 12, withoutGradient: index => index == 1);
        adam.Step();
        adam.Step();

        var state = adam.StateTensors();

        Assert.Equal(["group0.param0.exp_avg", "group0.param0.exp_avg_sq", "group0.param0.step"], state.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ScalarType.Int64, state["group0.param0.step"].dtype);
        Assert.Equal(0, state["group0.param0.step"].Dimensions);
        Assert.Equal(2L, state["group0.param0.step"].item<long>());
        Assert.Equal(parameters[0].shape, state["group0.param0.exp_avg"].shape);
    }

    [Fact]
    public void StateTensorsAreCopies()
    {
        using var scope = NewDisposeScope();
        var parameter = ParameterFrom(Random(20, 3));
        using var sgd = new Sgd([Group([parameter], 0.1)], momentum: 0.9);
        SetGradients([parameter], seed: 21);
        sgd.Step();

        var saved = sgd.StateTensors();
        var before = Snapshot(saved["group0.param0.momentum"]);
        SetGradients([parameter], seed: 22);
        sgd.Step();

        AssertBitwiseEqual(before, saved["group0.param0.momentum"]);
    }

    [Theory]
    [InlineData("group0.param0.velocity", "not state of")]
    [InlineData("group1.param0.momentum", "names no parameter")]
    [InlineData("group0.param5.momentum", "names no parameter")]
    [InlineData("group00.param0.momentum", "names no parameter")]
    [InlineData("momentum", "is not named")]
    [InlineData("group0.step", "not state of")]
    public void LoadStateRefusesUnknownNames(string name, string message)
    {
        using var scope = NewDisposeScope();
        var parameter = ParameterFrom(Random(30, 3));
        using var sgd = new Sgd([Group([parameter], 0.1)], momentum: 0.9);

        var error = Assert.Throws<ArgumentException>(() => sgd.LoadState(new Dictionary<string, Tensor> { [name] = zeros(3) }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadStateRefusesWrongShapesDtypesCountersAndIncompleteStateAndKeepsTheOldState()
    {
        using var scope = NewDisposeScope();
        var parameter = ParameterFrom(Random(40, 3));
        using var adam = new Adam([Group([parameter], 0.1)]);
        SetGradients([parameter], seed: 41);
        adam.Step();
        var valid = adam.StateTensors();
        Dictionary<string, Tensor> With(string name, Tensor value) => new(valid) { [name] = value };

        Assert.Throws<ArgumentException>(() => adam.LoadState(With("group0.param0.exp_avg", zeros(4))));
        Assert.Throws<ArgumentException>(() => adam.LoadState(With("group0.param0.exp_avg", zeros(3, ScalarType.Float64))));
        Assert.Throws<ArgumentException>(() => adam.LoadState(With("group0.param0.step", tensor(1.0))));
        Assert.Throws<ArgumentException>(() => adam.LoadState(With("group0.param0.step", tensor(0L))));
        var incomplete = new Dictionary<string, Tensor>(valid);
        incomplete.Remove("group0.param0.exp_avg_sq");
        var error = Assert.Throws<ArgumentException>(() => adam.LoadState(incomplete));

        Assert.Contains("lacks exp_avg_sq", error.Message, StringComparison.Ordinal);
        var kept = adam.StateTensors();
        Assert.Equal(valid.Keys.Order(StringComparer.Ordinal), kept.Keys.Order(StringComparer.Ordinal));
        AssertBitwiseEqual(valid["group0.param0.exp_avg"], kept["group0.param0.exp_avg"]);
    }

    [Fact]
    public void ZeroGradSetsGradientsToNullSoTheNextStepSkipsTheParameters()
    {
        using var scope = NewDisposeScope();
        var parameter = ParameterFrom(Random(50, 4));
        using var sgd = new Sgd([Group([parameter], 0.1, weightDecay: 0.5)], momentum: 0.9);
        SetGradients([parameter], seed: 51);
        sgd.Step();
        var after = Snapshot(parameter);

        sgd.ZeroGrad();
        sgd.Step();

        Assert.Null(parameter.grad);
        // TorchSharp's zero_grad would leave zeros, and weight decay plus momentum would still move p.
        AssertBitwiseEqual(after, parameter);
    }

    [Fact]
    public void GroupsMustNotShareParametersAndRatesMustBeNonNegative()
    {
        using var scope = NewDisposeScope();
        var parameter = ParameterFrom(Random(60, 2));

        Assert.Throws<ArgumentException>(() => new Sgd([Group([parameter], 0.1), Group([parameter], 0.2)]));
        Assert.Throws<ArgumentException>(() => new Sgd([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Group([parameter], -0.1));
        var group = Group([parameter], 0.1);
        Assert.Throws<ArgumentOutOfRangeException>(() => group.WeightDecay = double.NaN);
    }

    /// <summary>Two groups, the second without weight decay; the last parameter has no gradient every other step.</summary>
    private static Optimizer Create(string kind, IReadOnlyList<Parameter> parameters)
    {
        ParameterGroup[] Groups(bool excludeSecond = false) =>
            [Group(parameters.Take(1), 0.1, weightDecay: 0.01), Group(parameters.Skip(1), 0.1, excluded: excludeSecond)];
        return kind switch
        {
            "sgd" => new Sgd(Groups(), momentum: 0.9),
            "adam" => new Adam(Groups()),
            "adamw" => new AdamW(Groups()),
            "byol-lars" => new ByolLars(Groups(excludeSecond: true)),
            "larc" => new Larc(Groups()),
            "bolts-lars" => Larc.LightningBoltsLars(Groups()),
            "lamb" => new Lamb(Groups()),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    private static void Train(Optimizer optimizer, IReadOnlyList<Parameter> parameters, int from, int to)
    {
        for (var step = from; step < to; step++)
        {
            optimizer.ZeroGrad();
            SetGradients(parameters, seed: 1000 + step, withoutGradient: index => index == parameters.Count - 1 && step % 2 == 1);
            optimizer.SetLearningRate(0.1 / (step + 1));
            optimizer.Step();
        }
    }
}
