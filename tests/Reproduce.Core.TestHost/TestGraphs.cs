using System.Globalization;
using System.Text.Json.Nodes;
using Reproduce.Core.Cells;
using Reproduce.Core.Keys;
using Reproduce.Core.Stages;

namespace Reproduce.Core.TestHost;

/// <summary>A small graph of test stages: <c>width</c> sources with values 1..width, each summed by a pair cell, and a total.</summary>
public static class TestGraphs
{
    public static readonly RuntimeFingerprint Runtime = new("cpu", "0.0");

    public static StageRegistry Stages(int sumVersion = 1) => new([new ValueStage("source"), new ValueStage("sum", sumVersion)]);

    /// <summary>
    /// Sources s0..s{width-1} (value i + 1, or <paramref name="changedValue"/> for source 0),
    /// sums p{i} = s{i} (one per source), and total = sum of all p{i}. <paramref name="failing"/>
    /// names a pair cell that throws.
    /// </summary>
    public static CellGraph Fan(int width, double? changedValue = null, int? failing = null)
    {
        var cells = new List<Cell>();
        var sources = new List<Cell>();
        for (var i = 0; i < width; i++)
        {
            var value = i == 0 && changedValue is { } v ? v : i + 1;
            sources.Add(new Cell(new CellAddress("source", ("index", Index(i))), new JsonObject { ["value"] = value }, [], []));
        }

        var pairs = sources.Select((s, i) => new Cell(new CellAddress("sum", ("index", Index(i))), new JsonObject { ["fail"] = failing == i }, [], [s])).ToList();
        cells.AddRange(sources);
        cells.AddRange(pairs);
        cells.Add(new Cell(new CellAddress("sum", ("index", "total")), [], [], pairs));
        return new CellGraph(cells);
    }

    private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);
}
