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

    /// <summary>An address from its <see cref="Text"/>; null when the text is not one.</summary>
    public static CellAddress? TryParse(string text)
    {
        var open = text.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return text.Length > 0 && !text.Contains(']', StringComparison.Ordinal) ? new CellAddress(text) : null;
        }

        if (open == 0 || !text.EndsWith(']'))
        {
            return null;
        }

        var coordinates = new List<(string, string)>();
        foreach (var pair in text[(open + 1)..^1].Split(", "))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == pair.Length - 1)
            {
                return null;
            }

            coordinates.Add((pair[..equals], pair[(equals + 1)..]));
        }

        var address = new CellAddress(text[..open], [.. coordinates]);
        return address.Text == text ? address : null;
    }

    public bool Equals(CellAddress? other) => other is not null && other.Text == Text;

    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Text;
}
