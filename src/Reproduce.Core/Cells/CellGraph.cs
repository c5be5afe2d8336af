namespace Reproduce.Core.Cells;

/// <summary>The cells of an experiment in dependency order (every cell after its upstream cells).</summary>
public sealed class CellGraph
{
    private readonly Dictionary<CellAddress, Cell> byAddress = [];

    public CellGraph(IEnumerable<Cell> cells)
    {
        var ordered = new List<Cell>();
        foreach (var cell in cells)
        {
            foreach (var upstream in cell.Upstream.Where(u => !byAddress.ContainsKey(u.Address)))
            {
                throw new ArgumentException($"{cell} lists {upstream} as upstream, which comes later or is not in the graph");
            }

            if (!byAddress.TryAdd(cell.Address, cell))
            {
                throw new ArgumentException($"two cells share the address {cell.Address}");
            }

            ordered.Add(cell);
        }

        Cells = ordered;
    }

    public IReadOnlyList<Cell> Cells { get; }

    public Cell? Find(CellAddress address) => byAddress.GetValueOrDefault(address);
}
