namespace Reproduce.Core.Cells;

/// <summary>
/// Where a cell sits in the experiment grid: its stage and coordinates (dataset, method, task, init,
/// fold, fraction). Independent of parameters, so a cell keeps its address when its key changes;
/// that is how the planner finds the older cell to diff against.
/// </summary>
public sealed record CellAddress
{
    public CellAddress(string stage, params (string Dimension, string Value)[] coordinates)
    {
        Stage = stage;
        Coordinates = coordinates.ToList();
        Text = coordinates.Length == 0
            ? stage
            : $"{stage}[{string.Join(", ", coordinates.Select(c => $"{c.Dimension}={c.Value}"))}]";
    }

    public string Stage { get; }

    public IReadOnlyList<(string Dimension, string Value)> Coordinates { get; }

    /// <summary>The canonical text, e.g. <c>finetune[task=covid, init=spark, fold=2, fraction=0.25]</c>.</summary>
    public string Text { get; }

    public string? this[string dimension] =>
        Coordinates.FirstOrDefault(c => c.Dimension == dimension).Value;

    public bool Equals(CellAddress? other) => other is not null && other.Text == Text;

    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Text;
}
