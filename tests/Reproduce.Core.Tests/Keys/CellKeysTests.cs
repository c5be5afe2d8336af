using System.Text.Json.Nodes;
using Reproduce.Core.Cells;
using Reproduce.Core.Json;
using Reproduce.Core.Keys;
using Reproduce.Core.Stages;
using Reproduce.Core.TestHost;

namespace Reproduce.Core.Tests.Keys;

public class CellKeysTests
{
    private static Dictionary<string, string> KeysOf(CellGraph graph, StageRegistry? stages = null, RuntimeFingerprint? runtime = null)
    {
        var keys = new CellKeys(graph, stages ?? TestGraphs.Stages(), runtime ?? TestGraphs.Runtime);
        return graph.Cells.ToDictionary(c => c.Address.Text, keys.KeyOf);
    }

    [Fact]
    public void GoldenKeyIsPinned()
    {
        // This value changes only when the key document or its canonical form changes on purpose:
        // then bump CellKeys.KeyFormatVersion and update it here, knowing every cache is re-keyed.
        var source = new Cell(new CellAddress("source", ("index", "0")), new JsonObject { ["value"] = 1 }, [], []);
        var keys = new CellKeys(new CellGraph([source]), TestGraphs.Stages(), TestGraphs.Runtime);

        Assert.Equal("""{"environment":{},"inputs":{},"key_format":1,"params":{"value":1},"stage":"source","stage_version":1,"upstream":{}}""", CanonicalJson.Serialize(keys.ComponentsOf(source).ToJson()));
        Assert.Equal(GoldenSourceKey, keys.KeyOf(source));
    }

    // sha256sum of the canonical document above, computed outside .NET (printf '%s' '…' | sha256sum).
    private const string GoldenSourceKey = "3cda1fd419cf03850bfb32180b00526f6d93a758252a9c77ac83178963d6b80d";

    [Fact]
    public void KeysAreIdenticalForIndependentlyBuiltGraphs()
    {
        Assert.Equal(KeysOf(TestGraphs.Fan(4)), KeysOf(TestGraphs.Fan(4)));
    }

    [Fact]
    public void ChangingOneParameterReKeysExactlyTheDependentCells()
    {
        var before = KeysOf(TestGraphs.Fan(4));
        var after = KeysOf(TestGraphs.Fan(4, changedValue: 10));

        var changed = before.Keys.Where(address => before[address] != after[address]).Order().ToList();

        Assert.Equal(["source[index=0]", "sum[index=0]", "sum[index=total]"], changed);
    }

    [Fact]
    public void AStageVersionBumpReKeysThatStageAndWhatIsDownstream()
    {
        var before = KeysOf(TestGraphs.Fan(3));
        var after = KeysOf(TestGraphs.Fan(3), TestGraphs.Stages(sumVersion: 2));

        Assert.All(before.Where(p => p.Key.StartsWith("source", StringComparison.Ordinal)), p => Assert.Equal(p.Value, after[p.Key]));
        Assert.All(before.Where(p => p.Key.StartsWith("sum", StringComparison.Ordinal)), p => Assert.NotEqual(p.Value, after[p.Key]));
    }

    [Fact]
    public void TheDeviceEntersOnlyTheKeysOfTorchStages()
    {
        var stages = new StageRegistry([new ValueStage("source"), new TorchLikeStage()]);
        var source = new Cell(new CellAddress("source"), new JsonObject { ["value"] = 1 }, [], []);
        var train = new Cell(new CellAddress("train"), [], [], [source]);
        var graph = new CellGraph([source, train]);

        var cpu = KeysOf(graph, stages, new RuntimeFingerprint("cpu", "0.107"));
        var cuda = KeysOf(graph, stages, new RuntimeFingerprint("cuda", "0.107"));
        var newerTorch = KeysOf(graph, stages, new RuntimeFingerprint("cpu", "0.108"));

        Assert.Equal(cpu["source"], cuda["source"]);
        Assert.NotEqual(cpu["train"], cuda["train"]);
        Assert.NotEqual(cpu["train"], newerTorch["train"]);
    }

    private sealed class TorchLikeStage : IStage
    {
        public StageDescriptor Descriptor { get; } = new("train", 1, UsesTorch: true);

        public Task<StageResult> RunAsync(CellContext context, CancellationToken cancellationToken) => Task.FromResult(StageResult.Empty);
    }
}
