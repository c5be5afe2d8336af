using Reproduce.Learning.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Reproduce.Learning.Tests.Losses;

/// <summary>MoCo v2's InfoNCE over the queue (METHODS.md §3.3 steps 4–5).</summary>
public class InfoNceTests
{
    [Fact]
    public void LogitsPutThePositiveFirstAndEqualLogitsGiveLnKPlusOne()
    {
        using var scope = NewDisposeScope();
        const long queueSize = 10;
        const double temperature = 0.2;
        var unit = zeros(4, 8);
        unit[.., 0] = tensor(1f);

        // q = k = every queue column: all 1 + K logits equal 1/T.
        var equal = InfoNce.Logits(unit, unit, unit[0].unsqueeze(1).expand(8, queueSize), temperature);
        Assert.Equal([4L, 1 + queueSize], equal.shape);
        Assert.Equal(Math.Log(queueSize + 1), InfoNce.Loss(equal).item<float>(), 1e-5);

        // q = k, the queue orthogonal to q: logits [1/T, 0, …, 0] and L = ln(1 + K·e^(−1/T)).
        var orthogonal = zeros(8, queueSize);
        orthogonal[1, ..] = tensor(1f);
        var positiveFirst = InfoNce.Logits(unit, unit, orthogonal, temperature);
        Assert.Equal(1 / temperature, positiveFirst[.., 0].min().item<float>(), 1e-5);
        Assert.Equal(0, positiveFirst[.., 1..].abs().max().item<float>());
        Assert.Equal(Math.Log(1 + (queueSize * Math.Exp(-1 / temperature))), InfoNce.Loss(positiveFirst).item<float>(), 1e-5);
    }

    [Fact]
    public void TheLossIsTheHandComputedCrossEntropyWithThePositiveAsLabel()
    {
        using var scope = NewDisposeScope();
        // q = (1, 0), k = (0.6, 0.8), queue columns (0, 1) and (−1, 0), T = 0.5: logits (1.2, 0, −2) in one row.
        var queries = tensor(new[] { 1f, 0f }).view(1, 2);
        var keys = tensor(new[] { 0.6f, 0.8f }).view(1, 2);
        var queue = tensor(new[] { 0f, -1f, 1f, 0f }).view(2, 2);

        var logits = InfoNce.Logits(queries, keys, queue, temperature: 0.5);

        Assert.Equal(1.2, logits[0, 0].item<float>(), 1e-6);
        Assert.Equal(0, logits[0, 1].item<float>(), 1e-6);
        Assert.Equal(-2, logits[0, 2].item<float>(), 1e-6);
        var expected = -1.2 + Math.Log(Math.Exp(1.2) + Math.Exp(0) + Math.Exp(-2));
        Assert.Equal(expected, InfoNce.Loss(logits).item<float>(), 1e-6);
    }

    [Fact]
    public void TheLossIsTheBatchMeanOfTheRowsLosses()
    {
        using var scope = NewDisposeScope();
        var logits = randn([6, 5], generator: new Generator(11));

        var rows = Enumerable.Range(0, 6).Select(r => InfoNce.Loss(logits.narrow(0, r, 1)).item<float>());

        Assert.Equal(rows.Average(), InfoNce.Loss(logits).item<float>(), 1e-5);
    }

    [Fact]
    public void RaisingThePositiveLogitLowersTheLoss()
    {
        using var scope = NewDisposeScope();
        var logits = randn([3, 9], generator: new Generator(12));
        var raised = logits.clone();
        raised[.., 0] += 1;

        Assert.True(InfoNce.Loss(raised).item<float>() < InfoNce.Loss(logits).item<float>());
        Assert.True(InfoNce.Loss(logits).item<float>() > 0);
    }
}
